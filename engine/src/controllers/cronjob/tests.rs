use super::super::util::testing::*;
use super::*;

const CJ: &str = "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: hello\nspec:\n  schedule: \"*/1 * * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: hello\n            image: busybox\n";

fn at(min: i64, sec: i64) -> Time {
    Time::EPOCH + Duration::from_secs(min * 60 + sec)
}

fn complete(api: &mut crate::apiserver::ApiServer, name: &str, t: Time) {
    let Some(mut j) = util::get(api, "jobs", Some("default"), name) else {
        panic!("no job {name}");
    };
    j["status"]["conditions"] = json!([
        {"type": "Complete", "status": "True", "lastTransitionTime": t.rfc3339()}
    ]);
    util::update(api, "jobs", j);
}

fn jobs(api: &crate::apiserver::ApiServer) -> Vec<String> {
    names(api, "jobs", "default")
}

#[test]
fn fires_each_scheduled_minute_and_keeps_three_successful() {
    let mut api = api();
    apply(&mut api, "cronjobs", CJ, Time::EPOCH);
    let mut c = CronJobController::new();
    settle(&mut api, &mut [&mut c], at(0, 30));
    assert!(jobs(&api).is_empty(), "nothing before the first minute");
    assert_eq!(c.next_wakeup(at(0, 30)), Some(at(1, 0)));
    settle(&mut api, &mut [&mut c], at(1, 0));
    assert_eq!(jobs(&api), ["hello-29089921"]);
    let j = util::get(&api, "jobs", Some("default"), "hello-29089921").unwrap_or_default();
    assert_eq!(
        j["metadata"]["annotations"]["batch.kubernetes.io/cronjob-scheduled-timestamp"],
        "2025-04-23T08:01:00Z"
    );
    assert_eq!(j["metadata"]["ownerReferences"][0]["kind"], "CronJob");
    let cj = util::get(&api, "cronjobs", Some("default"), "hello").unwrap_or_default();
    assert_eq!(cj["status"]["lastScheduleTime"], "2025-04-23T08:01:00Z");
    assert_eq!(cj["status"]["active"][0]["name"], "hello-29089921");
    for m in 1..=5 {
        complete(&mut api, &format!("hello-{}", 29089920 + m), at(m, 10));
        settle(&mut api, &mut [&mut c], at(m, 10));
        settle(&mut api, &mut [&mut c], at(m + 1, 0));
    }
    // Five ran and finished, the sixth is active; three successful are kept.
    assert_eq!(
        jobs(&api),
        [
            "hello-29089923",
            "hello-29089924",
            "hello-29089925",
            "hello-29089926"
        ]
    );
    let cj = util::get(&api, "cronjobs", Some("default"), "hello").unwrap_or_default();
    assert_eq!(cj["status"]["lastSuccessfulTime"], "2025-04-23T08:05:10Z");
    assert_eq!(cj["status"]["active"].as_array().map(Vec::len), Some(1));
    let ev = events(&api, "default");
    for e in [
        "SuccessfulCreate Created job hello-29089921",
        "SawCompletedJob Saw completed job: hello-29089921, status: Complete",
        "SuccessfulDelete Deleted job hello-29089921",
        "SuccessfulDelete Deleted job hello-29089922",
    ] {
        assert!(ev.contains(&e.to_string()), "{e} not in {ev:?}");
    }
}

#[test]
fn forbid_skips_while_active_and_suspend_stops() {
    let mut api = api();
    let cj = CJ.replace(
        "spec:\n  schedule",
        "spec:\n  concurrencyPolicy: Forbid\n  schedule",
    );
    apply(&mut api, "cronjobs", &cj, Time::EPOCH);
    let mut c = CronJobController::new();
    settle(&mut api, &mut [&mut c], at(1, 0));
    settle(&mut api, &mut [&mut c], at(2, 0));
    settle(&mut api, &mut [&mut c], at(2, 30));
    assert_eq!(jobs(&api), ["hello-29089921"]);
    let ev = events(&api, "default");
    assert!(ev.contains(&"JobAlreadyActive Not starting job because prior execution is running and concurrency policy is Forbid".to_string()), "{ev:?}");
    // Suspended: nothing more, even when the active one is done.
    let mut cj = util::get(&api, "cronjobs", Some("default"), "hello").unwrap_or_default();
    cj["spec"]["suspend"] = json!(true);
    util::update(&mut api, "cronjobs", cj);
    complete(&mut api, "hello-29089921", at(2, 40));
    settle(&mut api, &mut [&mut c], at(5, 0));
    assert_eq!(jobs(&api), ["hello-29089921"]);
    assert_eq!(c.next_wakeup(at(5, 0)), None);
}

#[test]
fn replace_deletes_the_running_job() {
    let mut api = api();
    let cj = CJ.replace(
        "spec:\n  schedule",
        "spec:\n  concurrencyPolicy: Replace\n  schedule",
    );
    apply(&mut api, "cronjobs", &cj, Time::EPOCH);
    let mut c = CronJobController::new();
    settle(&mut api, &mut [&mut c], at(1, 0));
    settle(&mut api, &mut [&mut c], at(2, 0));
    assert_eq!(jobs(&api), ["hello-29089922"]);
}

#[test]
fn time_zone_and_job_names() {
    assert_eq!(job_name("x", at(1, 0)), "x-29089921");
    assert_eq!(
        zoned_rfc3339(at(0, 0), 9 * 3600),
        "2025-04-23T17:00:00+09:00"
    );
}

/// A CronJob sleeps until its next scheduled time: the syncs in between
/// are skipped (test builds run them anyway and check they do nothing),
/// yet one created or edited mid-sleep fires on its own schedule, and one
/// whose Job changes looks at it.
#[test]
fn a_cronjob_sleeps_until_its_schedule_unless_it_or_its_jobs_change() {
    let mut api = api();
    let hello = apply(&mut api, "cronjobs", CJ, Time::EPOCH);
    let mut c = CronJobController::new();
    settle(&mut api, &mut [&mut c], at(0, 10));
    let uid = util::uid(&hello).to_string();
    assert!(c.asleep.contains_key(&uid), "asleep until 08:01");
    assert_eq!(c.next_wakeup(at(0, 10)), Some(at(1, 0)));

    // Mid-sleep: another CronJob every two minutes, and this one edited
    // to every three.
    let other = CJ
        .replace("name: hello", "name: other")
        .replace("*/1", "*/2");
    apply(&mut api, "cronjobs", &other, at(0, 20));
    let mut cj = util::get(&api, "cronjobs", Some("default"), "hello").unwrap_or_default();
    cj["spec"]["schedule"] = json!("*/3 * * * *");
    util::update(&mut api, "cronjobs", cj);
    settle(&mut api, &mut [&mut c], at(0, 30));
    assert_eq!(c.next_wakeup(at(0, 30)), Some(at(2, 0)));
    settle(&mut api, &mut [&mut c], at(1, 0));
    assert!(jobs(&api).is_empty(), "{:?}", jobs(&api));
    settle(&mut api, &mut [&mut c], at(2, 0));
    assert_eq!(jobs(&api), ["other-29089922"]);
    assert_eq!(c.next_wakeup(at(2, 0)), Some(at(3, 0)));
    settle(&mut api, &mut [&mut c], at(3, 0));
    assert_eq!(jobs(&api), ["hello-29089923", "other-29089922"]);

    // Its Job finishes mid-sleep: it looks, and records the success.
    settle(&mut api, &mut [&mut c], at(3, 5));
    assert!(c.asleep.contains_key(&uid));
    complete(&mut api, "hello-29089923", at(3, 10));
    settle(&mut api, &mut [&mut c], at(3, 10));
    let cj = util::get(&api, "cronjobs", Some("default"), "hello").unwrap_or_default();
    assert_eq!(cj["status"]["lastSuccessfulTime"], "2025-04-23T08:03:10Z");
    assert!(cj["status"].get("active").is_none(), "{cj}");
}
