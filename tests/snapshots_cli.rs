//! What a person sees on the seeds, snapshotted so changes to it are deliberate.

mod common;

use common::Env;

fn filters() -> Vec<(&'static str, &'static str)> {
    vec![(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "[TIMESTAMP]")]
}

#[test]
fn quick_start_on_the_seeds() {
    let env = Env::new();
    env.with_seeds();
    let add = env.ok(&["add", "seeds/"]);
    let log = env.ok(&["log"]);
    let show = env.ok(&["show", "b714"]);
    insta::with_settings!({ filters => filters(), prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("snapshots_cli__add_seeds", add);
        insta::assert_snapshot!("snapshots_cli__log_seeds", log);
        insta::assert_snapshot!("snapshots_cli__show_seed", show);
    });
}
