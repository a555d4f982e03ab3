<?php
/**
 * Site template header (bxland). Event data comes only from include/content.php, where every
 * string is a PHP literal; the HTML sections there were escaped by bxland. The registration
 * section opened here (closed in footer.php) has the theme's markup and id "registration",
 * the target of every «Зарегистрироваться» link and of the form's action.
 * @global CMain $APPLICATION
 */
if (!defined('B_PROLOG_INCLUDED') || B_PROLOG_INCLUDED !== true) die();

$bxlandPage = include __DIR__ . '/include/content.php';

// The head the preview has. ShowHead() prints, when the page is complete, the page properties
// «description» (the page sets it) and «canonical» (as <link rel="canonical">, not escaped:
// bxland escaped it), then the head strings: the Open Graph tags and the JSON-LD Event.
// Their image addresses point at this template's images/, hence the template path.
$bxlandHead = $bxlandPage['head'];
$bxlandTemplatePath = (string) SITE_TEMPLATE_PATH;
if ($bxlandHead['canonical'] !== '') {
	$APPLICATION->SetPageProperty('canonical', $bxlandHead['canonical']);
}
if ($bxlandHead['meta'] !== '') {
	$APPLICATION->AddHeadString(str_replace('%%BXLAND_TPL%%', htmlspecialcharsbx($bxlandTemplatePath), $bxlandHead['meta']), true);
}
if ($bxlandHead['json_ld'] !== '') {
	$bxlandJsonPath = substr(json_encode($bxlandTemplatePath, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_HEX_TAG | JSON_HEX_AMP | JSON_HEX_APOS | JSON_HEX_QUOT), 1, -1);
	$APPLICATION->AddHeadString(str_replace('%%BXLAND_TPL%%', $bxlandJsonPath, $bxlandHead['json_ld']), true);
}
?><!DOCTYPE html>
<html lang="<?= htmlspecialcharsbx($bxlandPage['lang']) ?>">
<head>
<meta name="viewport" content="width=device-width, initial-scale=1">
<title><?php $APPLICATION->ShowTitle(); ?></title>
<?php $APPLICATION->ShowHead(); ?>
</head>
<body>
<div id="panel"><?php $APPLICATION->ShowPanel(); ?></div>
<?php
foreach ($bxlandPage['before'] as $bxlandSection) {
	echo str_replace('%%BXLAND_TPL%%', SITE_TEMPLATE_PATH, $bxlandSection['html']), "\n";
}
?>
<section class="block registration" id="registration" aria-labelledby="registration-title">
<div class="wrap">
