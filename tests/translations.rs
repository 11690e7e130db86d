//! Every language has every key, with no empty text: a string added in one language only fails
//! here, not in front of a Korean teacher.

use std::collections::BTreeSet;

fn keys(json: &str) -> BTreeSet<String> {
    let value: serde_json::Value = serde_json::from_str(json).expect("locale file is JSON");
    let object = value.as_object().expect("locale file is an object");
    for (key, text) in object {
        let text = text
            .as_str()
            .unwrap_or_else(|| panic!("{key}: not a string"));
        assert!(!text.trim().is_empty(), "{key}: empty translation");
    }
    object.keys().cloned().collect()
}

#[test]
fn every_key_is_translated() {
    let en = keys(include_str!("../locales/en.json"));
    let ko = keys(include_str!("../locales/ko.json"));
    let missing_in_ko: Vec<_> = en.difference(&ko).collect();
    let missing_in_en: Vec<_> = ko.difference(&en).collect();
    assert!(
        missing_in_ko.is_empty(),
        "missing in ko.json: {missing_in_ko:?}"
    );
    assert!(
        missing_in_en.is_empty(),
        "missing in en.json: {missing_in_en:?}"
    );
}

#[test]
fn placeholders_match_across_languages() {
    let placeholders = |json: &str| -> Vec<(String, BTreeSet<String>)> {
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        let mut out = Vec::new();
        for (key, text) in value.as_object().unwrap() {
            let text = text.as_str().unwrap();
            let names = text
                .split("{{")
                .skip(1)
                .filter_map(|rest| {
                    rest.split_once("}}")
                        .map(|(name, _)| name.trim().to_string())
                })
                .collect();
            out.push((key.clone(), names));
        }
        out.sort();
        out
    };
    assert_eq!(
        placeholders(include_str!("../locales/en.json")),
        placeholders(include_str!("../locales/ko.json")),
        "a translation uses different {{ placeholders }} than its English source"
    );
}
