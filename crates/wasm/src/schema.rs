//! Keeps `schema/` current: the TypeScript declarations (`report.d.ts`, which the wasm module's
//! `.d.ts` includes) and the JSON Schema (`report.schema.json`) of everything that crosses the
//! boundary, generated from the Rust types with ts-rs and schemars, and the warning and error codes
//! (`codes.json`) the page words in Japanese. The test fails when a file is out
//! of date; `UPDATE_SCHEMA=1 cargo test -p ltv-lens-wasm schema` rewrites them.

use crate::interop::{AnalyzerOptions, CustomerFilterOptions};
use ltv_lens::{CustomerRow, ErrorCode, Preview, Report, Role, WarningCode, SCHEMA_VERSION};
use std::collections::BTreeMap;
use std::path::Path;
use ts_rs::{Config, TypeVisitor, TS};

/// Collects the declaration of every type reachable from the visited ones, by name.
struct Declarations<'a> {
    config: &'a Config,
    found: BTreeMap<String, String>,
}

impl TypeVisitor for Declarations<'_> {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        let name = T::ident(self.config);
        if self.found.contains_key(&name) {
            return;
        }
        // Built-in types (number, string, arrays, records) have no declaration of their own.
        if T::output_path().is_none() {
            return;
        }
        let docs = T::docs().unwrap_or_default();
        self.found
            .insert(name, format!("{docs}export {}", T::decl(self.config)));
        T::visit_dependencies(self);
    }
}

fn typescript() -> String {
    // The wasm module serialises every integer as a JS number.
    let config = Config::new().with_large_int("number");
    let mut declarations = Declarations {
        config: &config,
        found: BTreeMap::new(),
    };
    declarations.visit::<Report>();
    declarations.visit::<AnalyzerOptions>();
    declarations.visit::<CustomerFilterOptions>();
    declarations.visit::<CustomerRow>();
    declarations.visit::<Preview>();
    // Named by the `Record<Role, …>` overrides and by the thrown errors' `code`.
    declarations.visit::<Role>();
    declarations.visit::<ErrorCode>();
    let mut out = String::from(
        "// Generated from the Rust types by `UPDATE_SCHEMA=1 cargo test -p ltv-lens-wasm schema`; do not edit.\n",
    );
    for decl in declarations.found.values() {
        out.push('\n');
        out.push_str(decl);
        out.push('\n');
    }
    // `schema_version` is the literal type of the current version (`ts(type)` takes no constant).
    out.replace("SCHEMA_VERSION", &SCHEMA_VERSION.to_string())
}

fn json_schema() -> String {
    let schema = schemars::schema_for!(Report);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

#[track_caller]
fn check(file: &str, generated: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../schema")
        .join(file);
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, generated).unwrap();
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == generated,
        "schema/{file} is out of date with the Rust types: run `UPDATE_SCHEMA=1 cargo test -p ltv-lens-wasm schema`"
    );
}

/// The warning and error codes the page words in Japanese (`www/messages.js`).
fn codes() -> String {
    let codes = serde_json::json!({
        "warnings": WarningCode::ALL,
        "errors": ErrorCode::ALL,
    });
    serde_json::to_string_pretty(&codes).unwrap_or_default() + "\n"
}

#[test]
fn message_codes_are_current() {
    check("codes.json", &codes());
}

#[test]
fn typescript_declarations_are_current() {
    check("report.d.ts", &typescript());
}

#[test]
fn json_schema_is_current() {
    check("report.schema.json", &json_schema());
}
