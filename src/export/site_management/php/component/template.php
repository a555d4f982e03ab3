<?php
/**
 * form.result.new template "webinar" (bxland): the registration form with the theme's own
 * markup (the classes of the preview: .reg-form, .field, .field-check, .consent-text,
 * .submit .btn), its accepted state, its not-sent states (field errors, expired session) and
 * the rejected state opened from the rejection e-mail. No CAPTCHA: the web form is created
 * with USE_CAPTCHA = N and this template never prints one.
 * @var array $arResult
 */
if (!defined('B_PROLOG_INCLUDED') || B_PROLOG_INCLUDED !== true) die();

$bx = $arResult['BXLAND'];
$bxT = function ($code) use ($bx) {
	return htmlspecialcharsbx($bx['MESS'][$code]);
};
?>
<h2 id="registration-title"><?= $bxT('FORM_TITLE') ?></h2>
<p class="free"><span class="badge"><?= $bxT('FREE_REGISTRATION') ?></span></p>
<?php if ($bx['STATE'] === 'accepted'): ?>
<div class="result result-ok bxland-shown" id="registration-accepted" role="status">
<p><?= $bxT('FORM_ACCEPTED') ?></p>
</div>
<?php else: ?>
<?php if ($bx['STATE'] === 'errors'): ?>
<div class="result result-no bxland-shown" id="registration-errors" role="alert">
<p><?= $bxT('FORM_NOT_SENT') ?></p>
<?php if (count($bx['ERRORS']) > 0): ?>
<ul class="form-errors">
<?php foreach ($bx['ERRORS'] as $bxError): ?>
<li><?= htmlspecialcharsbx($bxError) ?></li>
<?php endforeach; ?>
</ul>
<?php endif; ?>
</div>
<?php elseif ($bx['STATE'] === 'expired'): ?>
<div class="result result-no bxland-shown" id="registration-expired" role="alert">
<p><?= $bxT('SESSION_EXPIRED') ?></p>
</div>
<?php elseif ($bx['STATE'] === 'rejected'): ?>
<div class="result result-no bxland-shown" id="registration-rejected" role="alert">
<p><?= htmlspecialcharsbx($bx['REJECTED_TEXT']) ?></p>
<p><a class="btn" href="#registration-form"><?= $bxT('FORM_RETRY') ?></a></p>
</div>
<?php endif; ?>
<?= $bx['FORM_HEADER'] ?>
<p class="form-note"><?= $bxT('REQUIRED_NOTE') ?></p>
<?php foreach ($bx['FIELDS'] as $bxField):
	$bxId = htmlspecialcharsbx($bxField['DOM_ID']);
	$bxName = htmlspecialcharsbx($bxField['NAME']);
	$bxRequired = $bxField['REQUIRED'] ? ' required' : '';
	$bxAuto = $bxField['AUTOCOMPLETE'] !== '' ? ' autocomplete="' . htmlspecialcharsbx($bxField['AUTOCOMPLETE']) . '"' : '';
	$bxStar = $bxField['REQUIRED'] ? ' <span class="req" aria-hidden="true">*</span>' : '';
?>
<?php if ($bxField['KIND'] === 'checkbox'): ?>
<div class="field field-check<?= $bxField['CONSENT'] ? ' consent' : '' ?>">
<input type="checkbox" id="<?= $bxId ?>" name="<?= $bxName ?>" value="<?= (int) $bxField['VALUE'] ?>"<?= $bxField['CHECKED'] ? ' checked' : '' ?><?= $bxRequired ?><?= $bxField['CONSENT'] ? ' aria-describedby="consent-text"' : '' ?>>
<label for="<?= $bxId ?>"><?= htmlspecialcharsbx($bxField['TEXT'] !== '' ? $bxField['TEXT'] : $bxField['LABEL']) ?><?= $bxStar ?></label>
</div>
<?php if ($bxField['CONSENT']): ?>
<div class="consent-text" id="consent-text" tabindex="0" role="region" aria-label="<?= $bxT('CONSENT_TEXT_TITLE') ?>">
<p class="consent-title"><strong><?= $bxT('CONSENT_TEXT_TITLE') ?></strong></p>
<?= $bx['CONSENT_HTML'] ?>
</div>
<?php endif; ?>
<?php elseif ($bxField['KIND'] === 'select'): ?>
<div class="field">
<label for="<?= $bxId ?>"><?= htmlspecialcharsbx($bxField['LABEL']) ?><?= $bxStar ?></label>
<select id="<?= $bxId ?>" name="<?= $bxName ?>"<?= $bxRequired ?>>
<option value=""></option>
<?php foreach ($bxField['OPTIONS'] as $bxOption): ?>
<option value="<?= (int) $bxOption['ID'] ?>"<?= $bxOption['ID'] === $bxField['VALUE'] ? ' selected' : '' ?>><?= htmlspecialcharsbx($bxOption['TEXT']) ?></option>
<?php endforeach; ?>
</select>
</div>
<?php elseif ($bxField['KIND'] === 'textarea'): ?>
<div class="field">
<label for="<?= $bxId ?>"><?= htmlspecialcharsbx($bxField['LABEL']) ?><?= $bxStar ?></label>
<textarea id="<?= $bxId ?>" name="<?= $bxName ?>" rows="3"<?= $bxAuto ?><?= $bxRequired ?>><?= htmlspecialcharsbx($bxField['VALUE']) ?></textarea>
</div>
<?php else: ?>
<div class="field">
<label for="<?= $bxId ?>"><?= htmlspecialcharsbx($bxField['LABEL']) ?><?= $bxStar ?></label>
<input type="<?= htmlspecialcharsbx($bxField['TYPE']) ?>" id="<?= $bxId ?>" name="<?= $bxName ?>" value="<?= htmlspecialcharsbx($bxField['VALUE']) ?>"<?= $bxAuto ?><?= $bxRequired ?>>
</div>
<?php endif; ?>
<?php endforeach; ?>
<p class="submit"><button type="submit" class="btn btn-lg" name="web_form_submit" value="Y"><?= $bxT('SUBMIT') ?></button></p>
<?= $arResult['FORM_FOOTER'] ?>
<?php endif; ?>
