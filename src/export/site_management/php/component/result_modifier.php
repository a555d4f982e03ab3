<?php
/**
 * form.result.new template "webinar" (bxland): turns the component's $arResult into the
 * registration form's state. Questions come from $arResult['QUESTIONS'] and their answers
 * ('STRUCTURE'); input names follow the form module (form_text_<answer id>,
 * form_dropdown_<SID>, form_checkbox_<SID>[]), so no answer id is written down here.
 * fields.php holds only what Bitrix does not know: the HTML input type (tel) and the
 * autocomplete token of each question SID, the consent text, the event language.
 * @var array $arResult
 * @var array $arParams
 */
if (!defined('B_PROLOG_INCLUDED') || B_PROLOG_INCLUDED !== true) die();

use Bitrix\Main\Localization\Loc;

Loc::loadMessages(__DIR__ . '/template.php');
$bxlandMeta = include __DIR__ . '/fields.php';

$bxlandMess = array();
foreach ($bxlandMeta['messages'] as $bxlandCode) {
	$bxlandMess[$bxlandCode] = (string) Loc::getMessage('BXLAND_' . $bxlandCode, null, $bxlandMeta['lang']);
}

$bxlandValues = (isset($arResult['arrVALUES']) && is_array($arResult['arrVALUES'])) ? $arResult['arrVALUES'] : array();
$bxlandPlain = function ($html) {
	return trim(htmlspecialcharsback(strip_tags((string) $html)));
};

$bxlandFields = array();
$bxlandQuestions = (isset($arResult['QUESTIONS']) && is_array($arResult['QUESTIONS'])) ? $arResult['QUESTIONS'] : array();
foreach ($bxlandQuestions as $bxlandSid => $bxlandQuestion) {
	$bxlandAnswers = (isset($bxlandQuestion['STRUCTURE']) && is_array($bxlandQuestion['STRUCTURE'])) ? array_values($bxlandQuestion['STRUCTURE']) : array();
	if (count($bxlandAnswers) === 0) {
		continue;
	}
	$bxlandFirst = $bxlandAnswers[0];
	$bxlandType = (string) $bxlandFirst['FIELD_TYPE'];
	$bxlandKnown = isset($bxlandMeta['fields'][$bxlandSid]) ? $bxlandMeta['fields'][$bxlandSid] : array('type' => 'text', 'autocomplete' => '');
	$bxlandField = array(
		'SID' => (string) $bxlandSid,
		'DOM_ID' => 'bxland-' . strtolower(preg_replace('/[^A-Za-z0-9_]/', '', (string) $bxlandSid)),
		'LABEL' => $bxlandPlain($bxlandQuestion['CAPTION']),
		'REQUIRED' => (isset($bxlandQuestion['REQUIRED']) && $bxlandQuestion['REQUIRED'] === 'Y'),
		'AUTOCOMPLETE' => (string) $bxlandKnown['autocomplete'],
		'CONSENT' => ((string) $bxlandSid === $bxlandMeta['consent_sid']),
	);
	if ($bxlandType === 'text' || $bxlandType === 'email' || $bxlandType === 'textarea') {
		$bxlandName = 'form_' . $bxlandType . '_' . (int) $bxlandFirst['ID'];
		$bxlandField['KIND'] = $bxlandType === 'textarea' ? 'textarea' : 'input';
		$bxlandField['NAME'] = $bxlandName;
		$bxlandField['VALUE'] = isset($bxlandValues[$bxlandName]) && !is_array($bxlandValues[$bxlandName]) ? (string) $bxlandValues[$bxlandName] : '';
		if ($bxlandType === 'email') {
			$bxlandField['TYPE'] = 'email';
		} elseif ($bxlandKnown['type'] === 'tel') {
			$bxlandField['TYPE'] = 'tel';
		} else {
			$bxlandField['TYPE'] = 'text';
		}
	} elseif ($bxlandType === 'dropdown') {
		$bxlandName = 'form_dropdown_' . $bxlandSid;
		$bxlandField['KIND'] = 'select';
		$bxlandField['NAME'] = $bxlandName;
		$bxlandField['VALUE'] = isset($bxlandValues[$bxlandName]) ? (int) $bxlandValues[$bxlandName] : 0;
		$bxlandField['OPTIONS'] = array();
		foreach ($bxlandAnswers as $bxlandAnswer) {
			$bxlandField['OPTIONS'][] = array('ID' => (int) $bxlandAnswer['ID'], 'TEXT' => $bxlandPlain($bxlandAnswer['MESSAGE']));
		}
	} elseif ($bxlandType === 'checkbox') {
		$bxlandName = 'form_checkbox_' . $bxlandSid;
		$bxlandPosted = isset($bxlandValues[$bxlandName]) && is_array($bxlandValues[$bxlandName]) ? $bxlandValues[$bxlandName] : array();
		$bxlandField['KIND'] = 'checkbox';
		$bxlandField['NAME'] = $bxlandName . '[]';
		$bxlandField['VALUE'] = (int) $bxlandFirst['ID'];
		$bxlandField['TEXT'] = $bxlandPlain($bxlandFirst['MESSAGE']);
		// The consent is never pre-ticked, not even when the form comes back with errors.
		$bxlandField['CHECKED'] = !$bxlandField['CONSENT'] && in_array((string) $bxlandFirst['ID'], array_map('strval', $bxlandPosted), true);
	} else {
		continue;
	}
	$bxlandFields[] = $bxlandField;
}

// The state: accepted after formresult=addok; not sent after field errors (a typo is never a
// rejection: the visitor fixes it and sends again); not sent when the session expired (the
// component then shows the form again without a word: check_bitrix_sessid() false after a
// valid POST); rejected only when the page is opened from the rejection e-mail
// (?rejected=<reason>, a reason the event allows); otherwise a fresh form.
$bxlandState = 'fresh';
$bxlandErrors = array();
$bxlandReason = '';
$bxlandPosted = isset($_SERVER['REQUEST_METHOD']) && $_SERVER['REQUEST_METHOD'] === 'POST'
	&& isset($_POST['WEB_FORM_ID']) && !empty($_REQUEST['web_form_submit']);
if (isset($arResult['isFormNote']) && $arResult['isFormNote'] === 'Y') {
	$bxlandState = 'accepted';
} elseif (isset($arResult['isFormErrors']) && $arResult['isFormErrors'] === 'Y') {
	$bxlandState = 'errors';
	$bxlandRaw = $arResult['FORM_ERRORS'];
	if (!is_array($bxlandRaw)) {
		$bxlandRaw = preg_split('/<br\s*\/?>/i', (string) $bxlandRaw);
	}
	foreach ($bxlandRaw as $bxlandKey => $bxlandMessage) {
		$bxlandText = $bxlandPlain($bxlandMessage);
		if ($bxlandText === '') {
			continue;
		}
		if (is_string($bxlandKey) && isset($bxlandQuestions[$bxlandKey])) {
			$bxlandLabel = $bxlandPlain($bxlandQuestions[$bxlandKey]['CAPTION']);
			if ($bxlandLabel !== '' && strpos($bxlandText, $bxlandLabel) === false) {
				$bxlandText = $bxlandLabel . ': ' . $bxlandText;
			}
		}
		$bxlandErrors[] = $bxlandText;
	}
} elseif ($bxlandPosted && function_exists('check_bitrix_sessid') && !check_bitrix_sessid()) {
	$bxlandState = 'expired';
} elseif (isset($_GET['rejected']) && is_string($_GET['rejected']) && in_array($_GET['rejected'], $bxlandMeta['reasons'], true)) {
	$bxlandState = 'rejected';
	$bxlandReason = $bxlandMess['REASON_' . strtoupper($_GET['rejected'])];
}

// The form's action ends with the section's anchor: the error page (the POST's answer) and the
// page after the redirect (a Location without a fragment inherits it, RFC 9110 10.2.2) open
// at the outcome instead of the top of the page.
$bxlandHeader = (string) $arResult['FORM_HEADER'];
$bxlandHeader = preg_replace('/^\s*<form\b/i', '<form class="reg-form" id="registration-form"', $bxlandHeader, 1);
$bxlandHeader = preg_replace('/\baction="([^"#]*)(#[^"]*)?"/', 'action="$1#registration"', $bxlandHeader, 1);

$arResult['BXLAND'] = array(
	'STATE' => $bxlandState,
	'MESS' => $bxlandMess,
	'FIELDS' => $bxlandFields,
	'ERRORS' => $bxlandErrors,
	'REJECTED_TEXT' => str_replace('{reason}', $bxlandReason, $bxlandMess['FORM_REJECTED']),
	'CONSENT_HTML' => $bxlandMeta['consent_html'],
	'FORM_HEADER' => $bxlandHeader,
);
