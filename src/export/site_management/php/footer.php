<?php
/**
 * Site template footer (bxland): the sections after the registration form.
 * @global CMain $APPLICATION
 */
if (!defined('B_PROLOG_INCLUDED') || B_PROLOG_INCLUDED !== true) die();

$bxlandPage = include __DIR__ . '/include/content.php';
?>
</div>
</section>
<?php
foreach ($bxlandPage['after'] as $bxlandSection) {
	echo str_replace('%%BXLAND_TPL%%', SITE_TEMPLATE_PATH, $bxlandSection['html']), "\n";
}
?>
</body>
</html>
