<?php
/**
 * form.result.new template "webinar" (bxland): the registration form, its accepted state and
 * its not-accepted state with the reason and the form again. No CAPTCHA: the web form is
 * created with USE_CAPTCHA = N and this template never prints one.
 * @var array $arResult
 */
if (!defined('B_PROLOG_INCLUDED') || B_PROLOG_INCLUDED !== true) die();

$bx = $arResult['BXLAND'];
$bxT = function ($code) use ($bx) {
	return htmlspecialcharsbx($bx['MESS'][$code]);
};
?>
<div class="bxland-form">
<h2 class="section-title"><?= $bxT('FORM_TITLE') ?></h2>
<p class="form-free"><?= $bxT('FREE_REGISTRATION') ?></p>
<?php if ($bx['STATE'] === 'accepted'): ?>
<div class="form-result form-accepted" role="status">
<p><?= $bxT('FORM_ACCEPTED') ?></p>
</div>
<?php else: ?>
<?php if ($bx['STATE'] === 'rejected'): ?>
<div class="form-result form-rejected" role="alert">
<p><?= htmlspecialcharsbx($bx['REJECTED_TEXT']) ?></p>
<?php if (count($bx['ERRORS']) > 0): ?>
<ul class="form-errors">
<?php foreach ($bx['ERRORS'] as $bxError): ?>
<li><?= htmlspecialcharsbx($bxError) ?></li>
<?php endforeach; ?>
</ul>
<?php endif; ?>
<p><?= $bxT('FORM_RETRY') ?></p>
</div>
<?php endif; ?>
<?= $arResult['FORM_HEADER'] ?>
<p class="form-required-note"><?= $bxT('REQUIRED_NOTE') ?></p>
<?php foreach ($bx['FIELDS'] as $bxField):
	$bxId = htmlspecialcharsbx($bxField['DOM_ID']);
	$bxName = htmlspecialcharsbx($bxField['NAME']);
	$bxRequired = $bxField['REQUIRED'] ? ' required' : '';
	$bxAuto = $bxField['AUTOCOMPLETE'] !== '' ? ' autocomplete="' . htmlspecialcharsbx($bxField['AUTOCOMPLETE']) . '"' : '';
	$bxStar = $bxField['REQUIRED'] ? ' <span class="form-star" aria-hidden="true">*</span>' : '';
?>
<?php if ($bxField['KIND'] === 'checkbox'): ?>
<div class="form-field form-check<?= $bxField['CONSENT'] ? ' form-consent' : '' ?>">
<input type="checkbox" id="<?= $bxId ?>" name="<?= $bxName ?>" value="<?= (int) $bxField['VALUE'] ?>"<?= $bxField['CHECKED'] ? ' checked' : '' ?><?= $bxRequired ?>>
<label for="<?= $bxId ?>"><?= htmlspecialcharsbx($bxField['TEXT'] !== '' ? $bxField['TEXT'] : $bxField['LABEL']) ?><?= $bxStar ?></label>
<?php if ($bxField['CONSENT']): ?>
<details class="consent-text" open>
<summary><?= $bxT('CONSENT_TEXT_TITLE') ?></summary>
<div class="consent-body"><?= $bx['CONSENT_HTML'] ?></div>
</details>
<?php endif; ?>
</div>
<?php elseif ($bxField['KIND'] === 'select'): ?>
<div class="form-field">
<label for="<?= $bxId ?>"><?= htmlspecialcharsbx($bxField['LABEL']) ?><?= $bxStar ?></label>
<select id="<?= $bxId ?>" name="<?= $bxName ?>"<?= $bxRequired ?>>
<option value=""></option>
<?php foreach ($bxField['OPTIONS'] as $bxOption): ?>
<option value="<?= (int) $bxOption['ID'] ?>"<?= $bxOption['ID'] === $bxField['VALUE'] ? ' selected' : '' ?>><?= htmlspecialcharsbx($bxOption['TEXT']) ?></option>
<?php endforeach; ?>
</select>
</div>
<?php elseif ($bxField['KIND'] === 'textarea'): ?>
<div class="form-field">
<label for="<?= $bxId ?>"><?= htmlspecialcharsbx($bxField['LABEL']) ?><?= $bxStar ?></label>
<textarea id="<?= $bxId ?>" name="<?= $bxName ?>" rows="4"<?= $bxAuto ?><?= $bxRequired ?>><?= htmlspecialcharsbx($bxField['VALUE']) ?></textarea>
</div>
<?php else: ?>
<div class="form-field">
<label for="<?= $bxId ?>"><?= htmlspecialcharsbx($bxField['LABEL']) ?><?= $bxStar ?></label>
<input type="<?= htmlspecialcharsbx($bxField['TYPE']) ?>" id="<?= $bxId ?>" name="<?= $bxName ?>" value="<?= htmlspecialcharsbx($bxField['VALUE']) ?>"<?= $bxAuto ?><?= $bxRequired ?>>
</div>
<?php endif; ?>
<?php endforeach; ?>
<button type="submit" class="form-submit" name="web_form_submit" value="Y"><?= $bxT('SUBMIT') ?></button>
<?= $arResult['FORM_FOOTER'] ?>
<?php endif; ?>
</div>
