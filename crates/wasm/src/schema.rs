//! Keeps the files generated from the Rust types current: in `schema/`, the TypeScript declarations
//! (`report.d.ts`, which the wasm module's `.d.ts` includes) and the JSON Schema (`report.schema.json`)
//! of everything that crosses the boundary (ts-rs and schemars); `js/names.js`, the names the page
//! reads (roles, formats, encodings, warning and error codes, the sections with their schema version);
//! and the section table of README.md ("Report"). The tests fail when a file is out of date;
//! `UPDATE_SCHEMA=1 cargo test -p ltv-lens-wasm schema` rewrites them.

use crate::interop::{AnalyzerOptions, CustomerFilterOptions};
use ltv_lens::ModelNoteCode;
use ltv_lens::{
    CustomerRow, ErrorCode, Format, ListLanguage, Preview, Report, Role, TextEncoding, WarningCode,
    SCHEMA_VERSION, SECTIONS,
};
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
    // Named by `customersCsv`'s language.
    declarations.visit::<ListLanguage>();
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
    let settings = schemars::generate::SchemaSettings::draft2020_12()
        .with_transform(schemars::transform::RecursiveTransform(closed_object));
    let schema = settings.into_generator().into_root_schema_for::<Report>();
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

/// Closes every object of the Report: a field the Rust types do not declare is then an error for a
/// validator, not an allowed extension (`tests/report_schema.rs` relies on it).
fn closed_object(schema: &mut schemars::Schema) {
    if schema.get("properties").is_some() && schema.get("additionalProperties").is_none() {
        schema.insert("additionalProperties".into(), false.into());
    }
}

const UPDATE: &str = "run `UPDATE_SCHEMA=1 cargo test -p ltv-lens-wasm schema`";

/// `relative` from the repository's root.
fn repository_file(relative: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative)
}

/// Compares `relative` (from the repository's root) with `generated`, or writes it with UPDATE_SCHEMA.
#[track_caller]
fn check(relative: &str, generated: &str) {
    let path = repository_file(relative);
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, generated).unwrap();
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == generated,
        "{relative} is out of date with the Rust types: {UPDATE}"
    );
}

/// A JavaScript array of strings, one per line.
fn js_array(items: impl IntoIterator<Item = &'static str>) -> String {
    let mut out = String::from("[\n");
    for item in items {
        out.push_str(&format!("  {},\n", serde_json::Value::from(item)));
    }
    out.push(']');
    out
}

/// `js/names.js`: the names the page and the browser tests read instead of restating them.
fn names_js() -> String {
    let mut out = String::from(
        "// Generated from the Rust types by `UPDATE_SCHEMA=1 cargo test -p ltv-lens-wasm schema`; do not edit.\n",
    );
    out.push_str(&format!(
        "\n/** The Report's schema_version. */\nexport const SCHEMA_VERSION = {SCHEMA_VERSION};\n"
    ));
    out.push_str("\n/** The Report's sections after `input`, in order, with the schema version that added each. */\nexport const SECTIONS = [\n");
    for section in SECTIONS {
        out.push_str(&format!(
            "  {{ name: {}, since: {} }},\n",
            serde_json::Value::from(section.name),
            section.since
        ));
    }
    out.push_str("];\n");
    let lists: [(&str, &str, Vec<&'static str>); 6] = [
        (
            "ROLES",
            "Column roles (the keys of `input.columns`), in the core's order.",
            Role::ALL.iter().map(|v| v.as_str()).collect(),
        ),
        (
            "FORMATS",
            "Every `input.format`.",
            Format::ALL.iter().map(|v| v.as_str()).collect(),
        ),
        (
            "ENCODINGS",
            "Every `input.encoding`.",
            TextEncoding::ALL.iter().map(|v| v.as_str()).collect(),
        ),
        (
            "WARNING_CODES",
            "Every `input.warnings[].code`.",
            WarningCode::ALL.iter().map(|v| v.as_str()).collect(),
        ),
        (
            "ERROR_CODES",
            "Every `code` of a thrown error.",
            ErrorCode::ALL.iter().map(|v| v.as_str()).collect(),
        ),
        (
            "MODEL_NOTE_CODES",
            "Every `code` of a note of the `models` section.",
            ModelNoteCode::ALL.iter().map(|v| v.as_str()).collect(),
        ),
    ];
    for (name, doc, items) in lists {
        out.push_str(&format!(
            "\n/** {doc} */\nexport const {name} = {};\n",
            js_array(items)
        ));
    }
    out
}

const SECTIONS_BEGIN: &str =
    "<!-- sections: generated from the section registry (src/report.rs); do not edit -->\n";
const SECTIONS_END: &str = "<!-- end of sections -->\n";

/// README.md with its section table regenerated from the registry.
fn readme(current: &str) -> String {
    let (Some(begin), Some(end)) = (current.find(SECTIONS_BEGIN), current.find(SECTIONS_END))
    else {
        panic!("README.md has lost its section-table markers");
    };
    let mut table = String::from("| section | since | what it holds |\n|---|---|---|\n");
    for section in SECTIONS {
        table.push_str(&format!(
            "| `{}` | v{} | {} |\n",
            section.name,
            section.since,
            section.description.trim()
        ));
    }
    format!(
        "{}{SECTIONS_BEGIN}{table}{}",
        &current[..begin],
        &current[end..]
    )
}

#[test]
fn the_page_s_names_are_current() {
    check("js/names.js", &names_js());
}

#[test]
fn the_readme_section_table_is_current_and_every_section_and_code_is_described() {
    let current = std::fs::read_to_string(repository_file("README.md")).unwrap();
    check("README.md", &readme(&current));
    // The field table below it describes each section's fields.
    for section in SECTIONS {
        assert!(
            current.contains(&format!("| `{}.", section.name))
                || current.contains(&format!("| `{}[]", section.name))
                || current.contains(&format!("| `{}` |", section.name)),
            "README.md \"Report\" has no row for the fields of `{}`",
            section.name
        );
    }
    // "Warnings and errors" describes every code.
    let codes = WarningCode::ALL
        .iter()
        .map(|c| c.as_str())
        .chain(ErrorCode::ALL.iter().map(|c| c.as_str()))
        .chain(ModelNoteCode::ALL.iter().map(|c| c.as_str()));
    for code in codes {
        assert!(
            current.contains(&format!("`{code}`")),
            "README.md \"Warnings and errors\" does not describe `{code}`"
        );
    }
}

#[test]
fn typescript_declarations_are_current() {
    check("schema/report.d.ts", &typescript());
}

#[test]
fn json_schema_is_current() {
    check("schema/report.schema.json", &json_schema());
}
