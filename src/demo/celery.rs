//! The sample application's Celery side: which tasks it runs, with what
//! arguments, and the `celery-task-meta-<id>` results they leave behind.

use rand::Rng;
use rand::rngs::StdRng;
use serde_json::{Value, json};

use super::fake;
use super::kombu::Task;

/// The broker queues the sample application declares.
pub const QUEUES: &[&str] = &["celery", "docs"];

/// How long Celery keeps results (`result_expires`, one day).
pub const RESULT_TTL_SECS: u64 = 86_400;

/// The key under which Celery's Redis result backend stores a task's result.
pub fn result_key(task_id: &str) -> String {
    format!("celery-task-meta-{task_id}")
}

/// A random task as the application would send it, with a plausible queue.
pub fn random_task(rng: &mut StdRng, now_ms: u64) -> (Task, &'static str) {
    let doc = rng.random_range(10_000..99_999u32);
    let user = rng.random_range(1_000..60_000u32);
    let (name, args, kwargs, argsrepr, kwargsrepr, queue) = match rng.random_range(0..6) {
        0 => (
            "docs.tasks.extract_text",
            json!([doc]),
            json!({"ocr": true}),
            format!("({doc},)"),
            "{'ocr': True}".to_string(),
            "docs",
        ),
        1 => {
            let lang = fake::pick(rng, fake::LANGUAGES);
            (
                "docs.tasks.summarize",
                json!([doc]),
                json!({"lang": lang, "max_words": 200}),
                format!("({doc},)"),
                format!("{{'lang': '{lang}', 'max_words': 200}}"),
                "docs",
            )
        }
        2 => {
            let page = rng.random_range(1..40u32);
            (
                "docs.tasks.ocr_page",
                json!([doc, page]),
                json!({}),
                format!("({doc}, {page})"),
                "{}".to_string(),
                "docs",
            )
        }
        3 => (
            "notifications.tasks.send_email",
            json!([user, "document_ready"]),
            json!({"doc_id": doc}),
            format!("({user}, 'document_ready')"),
            format!("{{'doc_id': {doc}}}"),
            "celery",
        ),
        4 => {
            let cents = rng.random_range(900..250_000u32);
            (
                "billing.tasks.charge_invoice",
                json!([format!("inv_{doc}"), cents]),
                json!({"currency": "EUR"}),
                format!("('inv_{doc}', {cents})"),
                "{'currency': 'EUR'}".to_string(),
                "celery",
            )
        }
        _ => (
            "reports.tasks.build_usage_report",
            json!([user]),
            json!({"period": "2026-Q3"}),
            format!("({user},)"),
            "{'period': '2026-Q3'}".to_string(),
            "celery",
        ),
    };
    let priority = match rng.random_range(0..10) {
        0..=5 => 0,
        6 | 7 => 3,
        8 => 6,
        _ => 9,
    };
    let eta = rng
        .random_bool(0.1)
        .then(|| fake::iso_time(now_ms.saturating_add(rng.random_range(60_000..3_600_000))));
    let retries = if rng.random_bool(0.1) {
        rng.random_range(1..4)
    } else {
        0
    };
    let task = Task {
        id: fake::uuid(rng),
        name: name.to_string(),
        args,
        kwargs,
        argsrepr,
        kwargsrepr,
        priority,
        retries,
        eta,
        origin: format!(
            "gen{}@web-{}",
            rng.random_range(1000..9999),
            rng.random_range(1..4)
        ),
        reply_to: fake::uuid(rng),
    };
    (task, queue)
}

/// The JSON Celery's Redis backend stores for a finished task.
pub fn result_meta(rng: &mut StdRng, task: &Task, done_ms: u64) -> String {
    let failed = rng.random_bool(0.06);
    let (status, result, traceback) = if failed {
        let exc = json!({
            "exc_type": "TimeoutError",
            "exc_message": ["upstream OCR service did not answer within 30s"],
            "exc_module": "builtins"
        });
        let tb = format!(
            "Traceback (most recent call last):\n  File \"/app/{}.py\", line 88, in run\n    \
             pages = client.fetch(doc_id, timeout=30)\nTimeoutError: upstream OCR service did \
             not answer within 30s\n",
            task.name.replace('.', "/")
        );
        ("FAILURE", exc, Value::String(tb))
    } else {
        let result = match task.name.as_str() {
            "docs.tasks.summarize" => json!({"words": rng.random_range(80..200), "cached": true}),
            "docs.tasks.extract_text" => json!({"pages": rng.random_range(1..60)}),
            "billing.tasks.charge_invoice" => json!({"charged": true}),
            _ => json!(null),
        };
        ("SUCCESS", result, Value::Null)
    };
    json!({
        "status": status,
        "result": result,
        "traceback": traceback,
        "children": [],
        "date_done": fake::iso_time(done_ms),
        "task_id": task.id
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn result_meta_names_its_task() {
        let mut rng = StdRng::seed_from_u64(5);
        let (task, queue) = random_task(&mut rng, 1_700_000_000_000);
        assert!(QUEUES.contains(&queue));
        let v: Value = serde_json::from_str(&result_meta(&mut rng, &task, 1)).expect("json");
        assert_eq!(v["task_id"], task.id.as_str());
        assert!(matches!(v["status"].as_str(), Some("SUCCESS" | "FAILURE")));
    }
}
