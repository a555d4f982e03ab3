<?php
/** Site template description (bxland): name and description shown in «Шаблоны сайтов». */
if (!defined('B_PROLOG_INCLUDED') || B_PROLOG_INCLUDED !== true) die();

$bxlandPage = include __DIR__ . '/include/content.php';
$arTemplate = array(
	'NAME' => $bxlandPage['template_name'],
	'DESCRIPTION' => $bxlandPage['template_description'],
	'SORT' => 100,
	'TYPE' => '',
);
