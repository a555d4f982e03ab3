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
