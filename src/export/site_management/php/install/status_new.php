<?php
/**
 * Status handler (HANDLER_IN of «Новая»), bxland. The form module includes it when a result
 * enters the status, with $RESULT_ID and $ACTION in scope ($ACTION is 'ADD' for a new
 * registration). It records the consent the registrant gave (the required CONSENT question)
 * in the agreement's journal «Полученные согласия».
 */
if (!defined('B_PROLOG_INCLUDED') || B_PROLOG_INCLUDED !== true) die();

if (empty($RESULT_ID) || !isset($ACTION) || $ACTION !== 'ADD') {
	return;
}
$bxlandConfig = include __DIR__ . '/config.php';
if (class_exists('\Bitrix\Main\UserConsent\Internals\AgreementTable') && class_exists('\Bitrix\Main\UserConsent\Consent')) {
	$bxlandAgreement = \Bitrix\Main\UserConsent\Internals\AgreementTable::getList(array(
		'select' => array('ID'),
		'filter' => array('=CODE' => $bxlandConfig['agreement']['code'], '=ACTIVE' => 'Y'),
	))->fetch();
	if ($bxlandAgreement) {
		\Bitrix\Main\UserConsent\Consent::addByContext((int) $bxlandAgreement['ID'], 'form/result', (string) (int) $RESULT_ID);
	}
}
