<?php
/**
 * Status handler (HANDLER_IN of «Принята» and of each «Отклонена: …»), bxland. Anonymous
 * registrants are no Bitrix users, so the form's own status mails cannot reach them: this
 * handler reads the e-mail the registrant entered and sends the status event itself.
 * In scope (form module): $RESULT_ID, $CURRENT_STATUS_ID, $PREV_STATUS_ID.
 */
if (!defined('B_PROLOG_INCLUDED') || B_PROLOG_INCLUDED !== true) die();

if (empty($RESULT_ID) || empty($CURRENT_STATUS_ID) || (isset($PREV_STATUS_ID) && (int) $PREV_STATUS_ID === (int) $CURRENT_STATUS_ID)) {
	return;
}
$bxlandConfig = include __DIR__ . '/config.php';
$bxlandStatus = CFormStatus::GetByID((int) $CURRENT_STATUS_ID)->Fetch();
$bxlandCode = $bxlandStatus ? (string) $bxlandStatus['CSS'] : '';
$bxlandMail = null;
$bxlandReason = '';
$bxlandReasonCode = '';
foreach ($bxlandConfig['statuses'] as $bxlandDef) {
	if ($bxlandDef['code'] === $bxlandCode && $bxlandDef['mail'] !== '') {
		$bxlandMail = $bxlandConfig['mail'][$bxlandDef['mail']];
		$bxlandReasonCode = $bxlandDef['reason'];
		$bxlandReason = $bxlandReasonCode !== '' ? $bxlandConfig['mail']['reasons'][$bxlandReasonCode] : '';
	}
}
if ($bxlandMail === null) {
	return;
}
$bxlandData = array();
$bxlandAnswers = array();
CFormResult::GetDataByID((int) $RESULT_ID, array(), $bxlandData, $bxlandAnswers);
$bxlandValue = function ($sid) use ($bxlandAnswers) {
	if (!isset($bxlandAnswers[$sid]) || !is_array($bxlandAnswers[$sid])) {
		return '';
	}
	$bxlandFirst = reset($bxlandAnswers[$sid]);
	return is_array($bxlandFirst) && isset($bxlandFirst['USER_TEXT']) ? trim((string) $bxlandFirst['USER_TEXT']) : '';
};
$bxlandEmail = $bxlandValue($bxlandConfig['email_sid']);
if ($bxlandEmail === '' || !check_email($bxlandEmail)) {
	return;
}
$bxlandSites = CForm::GetSiteArray((int) $bxlandData['FORM_ID']);
$bxlandSiteId = is_array($bxlandSites) && count($bxlandSites) > 0 ? $bxlandSites[0] : CSite::GetDefSite();
$bxlandSite = CSite::GetByID($bxlandSiteId)->Fetch();
$bxlandDir = $bxlandSite ? '/' . trim((string) $bxlandSite['DIR'], '/') : '';
$bxlandDir = $bxlandDir === '/' ? '' : $bxlandDir;
$bxlandPage = $bxlandDir . '/' . $bxlandConfig['page']['dir'] . '/';
CEvent::Send($bxlandMail['event'], $bxlandSiteId, array(
	'EMAIL' => $bxlandEmail,
	'FIRST_NAME' => $bxlandValue($bxlandConfig['first_name_sid']),
	'LAST_NAME' => $bxlandValue($bxlandConfig['last_name_sid']),
	'REASON' => $bxlandReason,
	'PAGE_PATH' => $bxlandReasonCode !== '' ? $bxlandPage . '?rejected=' . $bxlandReasonCode . '#registration' : $bxlandPage,
	'RESULT_ID' => (int) $RESULT_ID,
));
