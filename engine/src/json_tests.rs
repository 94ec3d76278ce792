//! The engine's `json!` (dinghy-json's, built from a template) gives the
//! values serde_json's own macro gives, for every form the engine writes.

use serde_json::{__json_code, json, Value};

const TRIGGER: &str = "endpoints.kubernetes.io/last-change-trigger-time";

fn name() -> String {
    "web-0".to_string()
}

#[test]
fn the_template_macro_builds_what_serde_jsons_macro_builds() {
    let n = 3_u32;
    let s = "x";
    let opt: Option<&str> = None;
    let v = json!({"a": 1});
    let mut calls = Vec::new();
    let mut count = |what: &str| {
        calls.push(what.to_string());
        calls.len()
    };
    let cases: Vec<(Value, Value)> = vec![
        (json!(null), __json_code!(null)),
        (json!(true), __json_code!(true)),
        (json!(false), __json_code!(false)),
        (json!(0), __json_code!(0)),
        (json!(2_000_001_000), __json_code!(2_000_001_000)),
        (json!(-1), __json_code!(-1)),
        (json!(1.5), __json_code!(1.5)),
        (
            json!(18446744073709551615_u64),
            __json_code!(18446744073709551615_u64),
        ),
        (json!("text"), __json_code!("text")),
        (json!(""), __json_code!("")),
        (
            json!("é \"q\" \\ \n\t\u{1F600}"),
            __json_code!("é \"q\" \\ \n\t\u{1F600}"),
        ),
        (json!(r#"raw "q""#), __json_code!(r#"raw "q""#)),
        (json!("\u{1}"), __json_code!("\u{1}")),
        (json!("\x02"), __json_code!("\x02")),
        (json!({}), __json_code!({})),
        (json!([]), __json_code!([])),
        (
            json!([1, "a", null, true, false, [], {}, [[]]]),
            __json_code!([1, "a", null, true, false, [], {}, [[]]]),
        ),
        (
            json!({"a": 1, "b": [1, 2,], "c": {"d": null},}),
            __json_code!({"a": 1, "b": [1, 2,], "c": {"d": null},}),
        ),
        (
            json!({"z": 1, "a": 2, "z": 3}),
            __json_code!({"z": 1, "a": 2, "z": 3}),
        ),
        (
            json!({"n": n, "s": s, "o": opt, "v": v, "f": format!("{s}-{n}")}),
            __json_code!({"n": n, "s": s, "o": opt, "v": v, "f": format!("{s}-{n}")}),
        ),
        (
            json!({"p": Value::Null, "q": std::string::String::from("q"), "r": n as u64 + 1}),
            __json_code!({"p": Value::Null, "q": std::string::String::from("q"), "r": n as u64 + 1}),
        ),
        (
            json!({TRIGGER: "t", (name()): 1, "k": name()}),
            __json_code!({TRIGGER: "t", (name()): 1, "k": name()}),
        ),
        (
            json!({"nested": json!({"a": [s, n]}), "neg": -5, "f": 0.25}),
            __json_code!({"nested": __json_code!({"a": [s, n]}), "neg": -5, "f": 0.25}),
        ),
        (
            json!([{"a": [{"b": [s]}]}, s, 7]),
            __json_code!([{"a": [{"b": [s]}]}, s, 7]),
        ),
        (
            json!({"m\u{1}": 1, "\u{3}": 2}),
            __json_code!({"m\u{1}": 1, "\u{3}": 2}),
        ),
    ];
    for (i, (ours, theirs)) in cases.iter().enumerate() {
        assert_eq!(ours, theirs, "case {i}");
        // Same text, key order included.
        assert_eq!(ours.to_string(), theirs.to_string(), "case {i}");
    }
    // Interpolated expressions run once each, in the order written.
    let built = json!({"a": count("a"), "b": [count("b"), {"c": count("c")}], "d": count("d")});
    assert_eq!(built, __json_code!({"a": 1, "b": [2, {"c": 3}], "d": 4}));
    assert_eq!(calls, ["a", "b", "c", "d"]);
}
