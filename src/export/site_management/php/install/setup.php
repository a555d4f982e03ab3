<?php
/**
 * bxland setup for a webinar landing page on «1С-Битрикс: Управление сайтом».
 *
 * Run once by an administrator: paste the line from README.txt into
 * Инструменты → «Командная PHP-строка». A direct web request does nothing (no prolog, no
 * BXLAND_SETUP constant). Idempotent: everything is looked up by its symbolic code first
 * (form SID, question SIDs, status codes in the CSS field, agreement CODE, mail event types,
 * the page file, the template condition), so a second run changes nothing and says so.
 *
 * All event data comes from config.php (PHP literals written by bxland); this file is code.
 *
 * Contract for install/mailings.php (written by other bxland exporters, optional): when the
 * file exists it is required after the web form, its questions, statuses and mails exist,
 * with these variables in scope:
 *   $formId   int     ID of the web form
 *   $formSid  string  its symbolic code
 *   $siteId   string  the site the form and the page belong to
 *   $report   callable $report(string $state, string $text): prints one line of the report;
 *             $state is 'created', 'found', 'updated', 'kept' or 'error'
 *   $config   array   the contents of config.php
 * It must be idempotent in the same way and may return false to signal an error.
 */
if (!defined('B_PROLOG_INCLUDED') || B_PROLOG_INCLUDED !== true || !defined('BXLAND_SETUP')) {
	return;
}

call_user_func(function () {
	global $USER, $APPLICATION;

	$config = include __DIR__ . '/config.php';
	$asText = isset($_REQUEST['result_as_text']) && $_REQUEST['result_as_text'] === 'y';
	$changed = false;
	$failed = false;
	$labels = array(
		'created' => 'создано',
		'found' => 'уже есть',
		'updated' => 'обновлено',
		'kept' => 'оставлено как есть',
		'error' => 'ОШИБКА',
	);
	$report = function ($state, $text) use ($asText, $labels, &$changed, &$failed) {
		if ($state === 'created' || $state === 'updated') {
			$changed = true;
		}
		if ($state === 'error') {
			$failed = true;
		}
		$line = '[' . (isset($labels[$state]) ? $labels[$state] : $state) . '] ' . $text;
		echo $asText ? $line . "\n" : htmlspecialcharsbx($line) . "<br>\n";
	};
	$lastError = function () {
		global $strError;
		return trim(strip_tags(str_replace(array('<br>', '<br />'), ' ', (string) $strError)));
	};

	// Every file of this template and every text of config.php is UTF-8: on a windows-1251
	// site (no BX_UTF in dbconn.php) nothing is created; the message is in the site's charset.
	if (!defined('BX_UTF') || BX_UTF !== true) {
		$message = '[ОШИБКА] Сайт работает в кодировке windows-1251, а шаблон вебинара — в UTF-8: страница и письма показали бы «кракозябры». Ничего не создано. Переведите сайт на UTF-8 (Настройки → Инструменты → Проверка системы → «Конвертация в UTF-8») и вставьте строку снова.';
		$converted = function_exists('iconv') ? @iconv('UTF-8', 'Windows-1251//TRANSLIT', $message) : false;
		echo ($converted !== false ? $converted : $message) . ($asText ? "\n" : "<br>\n");
		return;
	}
	if (!is_object($USER) || !$USER->IsAdmin()) {
		$report('error', 'Запустите установку под администратором сайта.');
		return;
	}
	if (!CModule::IncludeModule('form')) {
		$report('error', 'Модуль «Веб-формы» (form) не установлен: установите его в «Настройки → Модули» и запустите строку снова.');
		return;
	}

	$siteId = CSite::GetDefSite();
	$site = CSite::GetByID($siteId)->Fetch();
	$siteDir = is_array($site) && isset($site['DIR']) ? '/' . trim((string) $site['DIR'], '/') : '';
	$siteDir = $siteDir === '/' ? '' : $siteDir;
	$pageDir = $siteDir . '/' . $config['page']['dir'] . '/';
	$docRoot = rtrim(str_replace('\\', '/', (string) $_SERVER['DOCUMENT_ROOT']), '/');
	$here = str_replace('\\', '/', __DIR__);
	$installPath = strpos($here, $docRoot . '/') === 0 ? substr($here, strlen($docRoot)) : (defined('BX_PERSONAL_ROOT') ? BX_PERSONAL_ROOT : '/bitrix') . '/templates/' . $config['template_id'] . '/install';

	// 1. The web form.
	$formSid = $config['form']['sid'];
	$form = CForm::GetBySID($formSid)->Fetch();
	if ($form) {
		$formId = (int) $form['ID'];
		$report('found', 'Веб-форма ' . $formSid . ' (ID ' . $formId . ').');
		if (isset($form['USE_CAPTCHA']) && $form['USE_CAPTCHA'] === 'Y') {
			CForm::Set(array('USE_CAPTCHA' => 'N'), $formId);
			$report('updated', 'CAPTCHA в веб-форме ' . $formSid . ' выключена: правила программы её запрещают.');
		}
	} else {
		$formId = (int) CForm::Set(array(
			'NAME' => $config['form']['name'],
			'SID' => $formSid,
			'C_SORT' => 100,
			'BUTTON' => $config['form']['button'],
			'DESCRIPTION' => $config['form']['description'],
			'DESCRIPTION_TYPE' => 'text',
			'USE_CAPTCHA' => 'N',
			'USE_DEFAULT_TEMPLATE' => 'Y',
			'arSITE' => array($siteId),
			'arMENU' => array('ru' => $config['form']['name'], 'en' => $config['form']['name']),
			'arGROUP' => array(2 => 10),
		));
		if ($formId <= 0) {
			$report('error', 'Веб-форма ' . $formSid . ' не создана: ' . $lastError());
			return;
		}
		$report('created', 'Веб-форма ' . $formSid . ' (ID ' . $formId . '), без CAPTCHA, заполнять могут все посетители.');
	}

	// 2. Its questions: the six mandatory ones, the event's extra fields, the consent.
	$questionsChanged = false;
	foreach ($config['fields'] as $field) {
		$required = $field['required'] ? 'Y' : 'N';
		$existing = CFormField::GetBySID($field['sid'], $formId)->Fetch();
		if ($existing) {
			if ((isset($existing['REQUIRED']) ? $existing['REQUIRED'] : 'N') !== $required) {
				CFormField::Set(array('FORM_ID' => $formId, 'REQUIRED' => $required), (int) $existing['ID']);
				$report('updated', 'Вопрос ' . $field['sid'] . ': обязательный = ' . $required . '.');
				$questionsChanged = true;
			} else {
				$report('found', 'Вопрос ' . $field['sid'] . ' «' . $field['title'] . '».');
			}
			continue;
		}
		$answers = array();
		$sort = 100;
		foreach ($field['answers'] as $message) {
			$answers[] = array(
				'MESSAGE' => $message,
				'C_SORT' => $sort,
				'ACTIVE' => 'Y',
				'FIELD_TYPE' => $field['type'],
				'FIELD_PARAM' => '',
			);
			$sort += 100;
		}
		$fieldId = (int) CFormField::Set(array(
			'FORM_ID' => $formId,
			'ACTIVE' => 'Y',
			'TITLE' => $field['title'],
			'TITLE_TYPE' => 'text',
			'SID' => $field['sid'],
			'C_SORT' => $field['sort'],
			'ADDITIONAL' => 'N',
			'REQUIRED' => $required,
			'IN_RESULTS_TABLE' => 'Y',
			'IN_EXCEL_TABLE' => 'Y',
			'arANSWER' => $answers,
		));
		if ($fieldId <= 0) {
			$report('error', 'Вопрос ' . $field['sid'] . ' не создан: ' . $lastError());
			continue;
		}
		$questionsChanged = true;
		$report('created', 'Вопрос ' . $field['sid'] . ' «' . $field['title'] . '»' . ($required === 'Y' ? ', обязательный.' : '.'));
	}
	if ($questionsChanged) {
		// Refreshes the mail event type FORM_FILLING_<SID> with the macros of the new questions.
		CForm::SetMailTemplate($formId, 'N');
	}

	// 3. Statuses: the default «Новая» (anonymous visitors may create results in it), accepted,
	// and one rejected status per allowed reason. They are found by their code in the CSS field.
	$byStatus = 's_sort';
	$orderStatus = 'asc';
	$filteredStatus = null;
	$statusRows = array();
	$rsStatus = CFormStatus::GetList($formId, $byStatus, $orderStatus, array(), $filteredStatus);
	while ($row = $rsStatus->Fetch()) {
		$statusRows[(string) $row['CSS']] = $row;
	}
	foreach ($config['statuses'] as $status) {
		if (isset($statusRows[$status['code']])) {
			$report('found', 'Статус «' . $status['title'] . '» (ID ' . (int) $statusRows[$status['code']]['ID'] . ').');
			continue;
		}
		$isDefault = $status['default'];
		$statusId = (int) CFormStatus::Set(array(
			'FORM_ID' => $formId,
			'C_SORT' => $status['sort'],
			'ACTIVE' => 'Y',
			'TITLE' => $status['title'],
			'DESCRIPTION' => $status['description'],
			'CSS' => $status['code'],
			'HANDLER_OUT' => '',
			'HANDLER_IN' => $installPath . '/' . $status['handler'],
			'DEFAULT_VALUE' => $isDefault ? 'Y' : 'N',
			'arPERMISSION_VIEW' => $isDefault ? array(2) : array(0),
			'arPERMISSION_MOVE' => $isDefault ? array(2) : array(),
			'arPERMISSION_EDIT' => array(),
			'arPERMISSION_DELETE' => array(),
		));
		if ($statusId <= 0) {
			$report('error', 'Статус «' . $status['title'] . '» не создан: ' . $lastError());
			continue;
		}
		$report('created', 'Статус «' . $status['title'] . '»' . ($isDefault ? ' (по умолчанию)' : '') . '.');
	}

	// 4. The consent agreement (main module), holding the generated consent text.
	$agreementClass = '\Bitrix\Main\UserConsent\Internals\AgreementTable';
	if (!class_exists($agreementClass)) {
		$report('error', 'В этой версии продукта нет соглашений (main.userconsent): согласие всё равно обязательно в форме, но журнал согласий вести негде.');
	} else {
		$agreement = $agreementClass::getList(array(
			'select' => array('ID', 'AGREEMENT_TEXT', 'NAME'),
			'filter' => array('=CODE' => $config['agreement']['code']),
		))->fetch();
		if ($agreement) {
			if ((string) $agreement['AGREEMENT_TEXT'] !== $config['agreement']['text']) {
				$agreementClass::update((int) $agreement['ID'], array('AGREEMENT_TEXT' => $config['agreement']['text']));
				$report('updated', 'Соглашение ' . $config['agreement']['code'] . ': текст согласия обновлён.');
			} else {
				$report('found', 'Соглашение «' . $config['agreement']['name'] . '» (ID ' . (int) $agreement['ID'] . ').');
			}
		} else {
			$added = $agreementClass::add(array(
				'CODE' => $config['agreement']['code'],
				'NAME' => $config['agreement']['name'],
				'TYPE' => \Bitrix\Main\UserConsent\Agreement::TYPE_CUSTOM,
				'LANGUAGE_ID' => $config['agreement']['lang'],
				'ACTIVE' => 'Y',
				'AGREEMENT_TEXT' => $config['agreement']['text'],
				'LABEL_TEXT' => $config['agreement']['label'],
			));
			if ($added->isSuccess()) {
				$report('created', 'Соглашение «' . $config['agreement']['name'] . '» (ID ' . (int) $added->getId() . '): полученные согласия видны в его журнале.');
			} else {
				$report('error', 'Соглашение не создано: ' . implode(' ', $added->getErrorMessages()));
			}
		}
	}

	// 5. Mail. The registrant's confirmation and the organizer's notification are templates of
	// the form's own event FORM_FILLING_<SID>; the status mails have their own event types,
	// sent by the status handlers because anonymous registrants are no Bitrix users.
	$eventMessage = new CEventMessage();
	$findMessage = function ($eventName, $emailTo) {
		$by = 'id';
		$order = 'asc';
		$rs = CEventMessage::GetList($by, $order, array('TYPE_ID' => $eventName));
		while ($row = $rs->Fetch()) {
			if ((string) $row['EMAIL_TO'] === $emailTo) {
				return $row;
			}
		}
		return false;
	};
	$ensureMessage = function ($eventName, $mail, $what) use ($eventMessage, $findMessage, $report, $siteId) {
		$row = $findMessage($eventName, $mail['email_to']);
		if ($row) {
			$report('found', $what . ' (почтовый шаблон ID ' . (int) $row['ID'] . ').');
			return (int) $row['ID'];
		}
		$id = (int) $eventMessage->Add(array(
			'ACTIVE' => 'Y',
			'EVENT_NAME' => $eventName,
			'LID' => array($siteId),
			'EMAIL_FROM' => '#DEFAULT_EMAIL_FROM#',
			'EMAIL_TO' => $mail['email_to'],
			'SUBJECT' => $mail['subject'],
			'MESSAGE' => $mail['message'],
			'BODY_TYPE' => 'text',
		));
		if ($id <= 0) {
			$report('error', $what . ': почтовый шаблон не создан: ' . $eventMessage->LAST_ERROR);
			return 0;
		}
		$report('created', $what . ' (почтовый шаблон ID ' . $id . ', кому: ' . $mail['email_to'] . ').');
		return $id;
	};
	$ensureType = function ($eventName, $mail) use ($report) {
		if (CEventType::GetList(array('TYPE_ID' => $eventName))->Fetch()) {
			$report('found', 'Почтовое событие ' . $eventName . '.');
			return;
		}
		$type = new CEventType();
		$type->Add(array(
			'LID' => 'ru',
			'EVENT_NAME' => $eventName,
			'NAME' => $mail['name'],
			'DESCRIPTION' => $mail['description'],
		));
		$report('created', 'Почтовое событие ' . $eventName . '.');
	};

	$formEvent = $config['mail']['form_event'];
	$confirmationId = $ensureMessage($formEvent, $config['mail']['confirmation'], 'Письмо-подтверждение регистрации слушателю');
	$organizerId = $ensureMessage($formEvent, $config['mail']['organizer'], 'Уведомление организатору о новой регистрации');
	$attached = CForm::GetMailTemplateArray($formId);
	$attached = is_array($attached) ? array_map('intval', $attached) : array();
	$missing = array_diff(array_filter(array($confirmationId, $organizerId)), $attached);
	if (count($missing) > 0) {
		CForm::Set(array('arMAIL_TEMPLATE' => array_values(array_unique(array_merge($attached, $missing)))), $formId);
		$report('updated', 'Почтовые шаблоны подключены к веб-форме ' . $formSid . ': письма уходят при каждой регистрации.');
	} else {
		$report('found', 'Почтовые шаблоны подключены к веб-форме ' . $formSid . '.');
	}
	foreach (array('accepted' => 'Письмо «заявка принята»', 'rejected' => 'Письмо «заявка отклонена» с причиной') as $key => $what) {
		$mail = $config['mail'][$key];
		$ensureType($mail['event'], $mail);
		$ensureMessage($mail['event'], $mail, $what);
	}

	// 6. The page /<slug>/ with its .section.php and the calendar file event.ics («Добавить в
	// календарь» links to it), written only where nothing is yet.
	$absDir = $docRoot . $pageDir;
	if (!is_dir($absDir) && !mkdir($absDir, 0755, true) && !is_dir($absDir)) {
		$report('error', 'Не удалось создать папку ' . $pageDir);
	} else {
		foreach (array('index.php' => $config['page']['index'], '.section.php' => $config['page']['section'], 'event.ics' => $config['page']['ics']) as $name => $content) {
			$path = $absDir . $name;
			if (file_exists($path)) {
				if (file_get_contents($path) === $content) {
					$report('found', 'Страница ' . $pageDir . $name . '.');
				} else {
					$report('kept', 'Файл ' . $pageDir . $name . ' уже есть и изменён вручную: не перезаписан.');
				}
			} elseif (file_put_contents($path, $content) === false) {
				$report('error', 'Не удалось записать ' . $pageDir . $name);
			} else {
				$report('created', 'Страница ' . $pageDir . $name . '.');
			}
		}
	}

	// 7. The site template bound to the folder, keeping every existing row.
	$condition = "CSite::InDir('" . $pageDir . "')";
	$rows = array();
	$bound = false;
	$rsTemplates = CSite::GetTemplateList($siteId);
	while ($row = $rsTemplates->Fetch()) {
		if ($row['TEMPLATE'] === $config['template_id'] && trim((string) $row['CONDITION']) === $condition) {
			$bound = true;
		}
		$rows[] = array('TEMPLATE' => $row['TEMPLATE'], 'SORT' => $row['SORT'], 'CONDITION' => $row['CONDITION']);
	}
	if ($bound) {
		$report('found', 'Шаблон сайта ' . $config['template_id'] . ' подключён к папке ' . $pageDir . '.');
	} else {
		$rows[] = array('TEMPLATE' => $config['template_id'], 'SORT' => 1, 'CONDITION' => $condition);
		$siteObject = new CSite();
		if ($siteObject->Update($siteId, array('TEMPLATE' => $rows))) {
			$report('created', 'Шаблон сайта ' . $config['template_id'] . ' подключён к папке ' . $pageDir . ' (условие ' . $condition . ').');
		} else {
			$report('error', 'Шаблон не подключён: ' . $siteObject->LAST_ERROR);
		}
	}

	// 8. Additions from other exporters (see the contract above).
	if (file_exists(__DIR__ . '/mailings.php')) {
		if ((include __DIR__ . '/mailings.php') === false) {
			$report('error', 'Настройка рассылок (install/mailings.php) завершилась с ошибкой.');
		}
	}

	if ($failed) {
		$report('error', 'Установка не завершена: исправьте ошибки выше и вставьте строку ещё раз.');
	} elseif ($changed) {
		$report('created', 'Готово. Откройте страницу ' . $pageDir . ' и отправьте тестовую регистрацию.');
	} else {
		$report('found', 'Повторный запуск: всё уже на месте, ничего не изменено.');
	}
});
