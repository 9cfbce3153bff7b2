//! The integration tests, built and linked as one program: a file per area,
//! a module each. `common` is the harness (a real redis-server, the gateway
//! in-process, the real client), the latency and fault proxy, raw HTTP, the
//! tmux driver, and for the TUI without a terminal its keys, its screens and
//! a driver of the app and its effects. Run one area with
//! `cargo test --test it gateway_sse::`.
//!
//! Tests share this process, so none may change what belongs to it (signal
//! handlers, the panic hook, the environment, the current folder): a test
//! that must runs itself alone in a child run of this program
//! (`common::run_alone`), as `gateway_serve` and `tui_panic` do.

mod common;

// The REST client, the scan engine and the gateway.
mod analyze;
mod client;
mod client_failures;
mod faults;
mod fuzz;
mod gateway;
mod gateway_errors;
mod gateway_path;
mod gateway_pipeline_roundtrip;
mod gateway_policy;
mod gateway_scan;
mod gateway_serve;
mod gateway_soak;
mod gateway_sse;
mod scan;
mod token_leak;

// The command-line tools.
mod bench_cmd;
mod cli;
mod commands_table;
mod config;
mod console;
mod demo;
mod doctor;
mod exec;
mod view;
mod watch;

// The TUI's model and views, without a terminal.
mod console_tui;
mod monitor_facts;
mod monitor_health;
mod monitor_queues;
mod monitor_update;
mod monitor_view;
mod tui_analyze;
mod tui_keymap;
mod tui_keyops;
mod tui_modes;
mod tui_panic;
mod tui_style;
mod tui_update;
mod tui_view;
mod value_pane;
mod value_view;

// Values and their editing against the harness.
mod decode_apps;
mod edit_bulk;
mod edit_change;
mod edit_fallback;
mod edit_keys;
mod edit_read_only;
mod edit_script;
mod edit_undo;
mod tui_value_edit;
mod tui_value_edit_safety;
mod value;
mod value_big;
mod value_save;
mod value_session;

// The real binary in tmux.
mod console_e2e;
mod distance;
mod e2e_cost;
mod e2e_faults;
mod e2e_keyops;
mod e2e_tui;
mod e2e_value_edit;

/// Every test file is a module of this program: a file of its own under
/// `tests/` would not be built (`autotests = false`), nor would one here
/// that no `mod` names.
#[test]
fn every_test_file_is_a_module_of_this_program() {
    let tests = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let here = tests.join("it");
    let main = std::fs::read_to_string(here.join("main.rs")).expect("main.rs");
    let entries = |dir: &std::path::Path| {
        std::fs::read_dir(dir)
            .expect("the tests folder")
            .map(|e| e.expect("an entry").path())
            .collect::<Vec<_>>()
    };
    for path in entries(&tests) {
        assert!(
            path == here || !(path.is_file() || path.join("main.rs").exists()),
            "{} is not built: make it a module of tests/it/main.rs",
            path.display()
        );
    }
    for path in entries(&here) {
        let stem = path.file_stem().expect("a name").to_string_lossy();
        let module = if path.is_dir() {
            path.join("mod.rs").exists()
        } else {
            path.extension().is_some_and(|e| e == "rs") && stem != "main"
        };
        assert!(
            !module || main.contains(&format!("\nmod {stem};\n")),
            "{} is not built: name it in tests/it/main.rs",
            path.display()
        );
    }
}
