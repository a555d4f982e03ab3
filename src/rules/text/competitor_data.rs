// The format of `data/competitors.toml`. `build.rs` reads the file with these types to compile
// the dictionary, and the tests of `competitor.rs` read it with them at run time to check the
// compiled dictionary against it; included by both, so the format is written once.

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileData {
    pub category: Vec<CategoryData>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryData {
    pub id: String,
    pub ru: String,
    pub en: String,
    pub product: Vec<ProductData>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductData {
    pub name: String,
    pub spellings: Vec<String>,
    #[serde(default)]
    pub ambiguous: Vec<String>,
}
