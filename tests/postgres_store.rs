//! A team store on PostgreSQL: many writers at once, and evidence moved between a
//! directory store and a PostgreSQL one without a byte changing. The tests start their own
//! server (see `common::pg`) and are skipped, saying so, where none can be had.

mod common;

use common::Env;

/// A working tree whose commands use a fresh PostgreSQL store; `None` when there is no
/// server.
fn postgres_env() -> Option<Env> {
    let server = common::pg::server()?;
    let mut env = Env::bare();
    let url = server.fresh_url();
    env.ok(&["init", &url]);
    env.url = Some(url);
    Some(env)
}

#[test]
fn eight_writers_at_once_lose_nothing() {
    let Some(env) = postgres_env() else {
        return;
    };
    const WRITERS: usize = 8;
    const FILES: usize = 40;
    for w in 0..WRITERS {
        for i in 0..FILES {
            env.write(
                &format!("w{w}/{i:03}.txt"),
                format!(
                    "“We will report statement {i} of region {w} in full next week,” Foreign \
                     Minister Anna Kovalenko said on Monday.\n\n\
                     The ministry confirmed the figures for district {i} of region {w}.\n"
                ),
            );
        }
        // One quotation reprinted by every writer's outlet, in bytes of its own: however
        // the writers' commits interleave, the reprints end in one group.
        env.write(
            &format!("w{w}/reprint.txt"),
            format!(
                "Outlet {w} reports from the valley.\n\n“Nobody in this valley will be left \
                 to face the floods alone again,” the mayor said.\n"
            ),
        );
        // The same wire story in every writer's folder: all race to store one object.
        env.write(
            &format!("w{w}/wire.txt"),
            "“Nothing changed for three years,” the Crimean Tatar leader said.\n",
        );
    }
    let children: Vec<_> = (0..WRITERS)
        .map(|w| {
            env.process()
                .args(["add", &format!("w{w}")])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    env.ok(&["fsck"]);
    // Every writer's documents, the shared one once, with a path for each copy.
    assert_eq!(env.doc_count(), WRITERS * (FILES + 1) + 1);
    assert_eq!(env.object_count(), WRITERS * (FILES + 1) + 1);
    let wire = &env.json(&["verify", "Nothing changed for three years"])[0];
    assert_eq!(wire["verdict"], "exact", "{wire}");
    let shown = env.json(&[
        "show",
        &common::b3(
            "“Nothing changed for three years,” the Crimean Tatar leader said.\n".as_bytes(),
        ),
    ]);
    assert_eq!(
        shown[0]["paths"].as_array().map(Vec::len),
        Some(WRITERS),
        "{shown:?}"
    );
    // Each writer's quotations were extracted and are found.
    for w in 0..WRITERS {
        let v = &env.json(&[
            "verify",
            &format!("We will report statement 7 of region {w} in full next week"),
        ])[0];
        assert_eq!(v["verdict"], "exact", "{v}");
        assert_eq!(v["evidence"][0]["speaker"], "Anna Kovalenko", "{v}");
    }
    let quotes = env.json(&["quotes"]);
    assert_eq!(quotes.len(), WRITERS * (FILES + 1) + 1);
    let groups = env.json(&["matches"]);
    let floods: Vec<_> = groups
        .iter()
        .filter(|g| g.to_string().contains("face the floods"))
        .collect();
    assert_eq!(floods.len(), 1, "{floods:?}");
    assert_eq!(floods[0]["documents"], WRITERS, "{:?}", floods[0]);
}

#[test]
fn a_store_moves_from_a_directory_to_postgres_and_back_unchanged() {
    let Some(pg) = postgres_env() else {
        return;
    };
    let dir = Env::new();
    assert!(!dir.is_postgres());
    dir.with_seeds();
    dir.ok(&["add", "seeds"]);
    dir.write(
        "wire.txt",
        "“Putin promised to consider it, but nothing changed for three years,” Dzhemilev said.\n",
    );
    dir.write(
        "wire.txt.meta.json",
        r#"{"outlet": "Wire One", "published": "2025-07-01"}"#,
    );
    dir.ok(&["add", "wire.txt"]);

    let to_pg = &dir.json(&["clone", &dir.name(), &pg.name()])[0];
    assert_eq!(to_pg["documents"], 6, "{to_pg}");
    let back = Env::bare();
    let to_dir = &pg.json(&["clone", &pg.name(), &back.name()])[0];
    assert_eq!(to_dir["documents"], 6, "{to_dir}");

    assert_eq!(dir.objects(), pg.objects());
    assert_eq!(dir.objects(), back.objects());
    for args in [
        &["--json", "log"][..],
        &["--json", "quotes"],
        &["--json", "speakers"],
        &["--json", "matches"],
        &[
            "--json",
            "verify",
            "Putin promised to consider it, but nothing changed for three years",
        ],
        &["--json", "trace", "nothing changed for three years"],
        &["log"],
        &["quotes"],
    ] {
        let original = dir.ok(args);
        assert_eq!(original, pg.ok(args), "prov {args:?}: PostgreSQL differs");
        assert_eq!(
            original,
            back.ok(args),
            "prov {args:?}: the copy back differs"
        );
    }
    pg.ok(&["fsck"]);
    back.ok(&["fsck"]);
    // Both copies are complete already: pushing again moves nothing.
    let again = &dir.json(&["push", &pg.name()])[0];
    assert_eq!(again["documents"], 0, "{again}");
    assert_eq!(again["unchanged"], 6, "{again}");
}

#[test]
fn an_unreachable_server_is_named_without_its_password() {
    // No server is needed: nothing listens on port 1.
    let env = Env::bare();
    let out = env
        .prov()
        .args(["-C", "postgres://ana:s3cret@127.0.0.1:1/evidence", "log"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot connect to the store postgres://ana@127.0.0.1:1/evidence"),
        "{err}"
    );
    assert!(err.contains("hint:") && err.contains("PGPASSWORD"), "{err}");
    assert!(!err.contains("s3cret"), "{err}");
}

#[test]
fn a_writer_that_clashes_with_another_on_the_same_row_runs_again_and_commits() {
    use prov::model::{DocId, Metadata};
    use prov::store::documents::DocForm;
    use prov::store::location::Location;
    let Some(server) = common::pg::server() else {
        return;
    };
    let url = server.fresh_url();
    let location = Location::Postgres(url);
    let (mut first, _) = prov::Store::init_at(&location).unwrap();
    let mut other = prov::Store::open_at(&location).unwrap();
    let id = DocId::of_bytes(b"the same wire story");
    let insert = |tx: &prov::store::Tx<'_>| {
        tx.insert_document(
            &id,
            19,
            "utf-8",
            "2026-12-01T00:00:00Z",
            &Metadata::default(),
            &DocForm::default(),
        )
    };
    // The first writer checks that the row is missing, then (before it inserts) the other
    // commits the same row: its insert clashes, and it is run again from the start.
    let mut attempts = 0;
    let seq = first
        .write_staged(|tx| {
            attempts += 1;
            if let Some((seq, _)) = tx.stored_metadata(&id)? {
                return Ok(seq);
            }
            if attempts == 1 {
                other.write(|o| insert(o)).unwrap();
            }
            insert(tx)
        })
        .unwrap();
    assert_eq!(attempts, 2, "the clash was retried once");
    let stored = first
        .write(|tx| tx.stored_metadata(&id))
        .unwrap()
        .map(|(s, _)| s);
    assert_eq!(
        stored,
        Some(seq),
        "the second run found the other writer's row"
    );
}

/// Opening a store at this build's version skips the locked migration step; a store a
/// newer prov wrote is still refused, with the versions named and the fix.
#[test]
fn a_store_from_a_newer_prov_is_refused() {
    let Some(env) = postgres_env() else {
        return;
    };
    env.write("a.txt", "“We will build the bridge,” the mayor said.\n");
    env.ok(&["add", "a.txt"]);
    assert_eq!(env.doc_count(), 1);
    env.sql("UPDATE prov_schema SET version = version + 1000", None);
    let out = env.prov().args(["log"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("has schema version") && err.contains("this prov knows only up to"),
        "{err}"
    );
    assert!(err.contains("upgrade prov"), "{err}");
}
