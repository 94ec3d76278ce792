//! Scheduling profiles: which plugins run at each extension point, with
//! which score weights, and how many nodes to score — read from a
//! `KubeSchedulerConfiguration` (`kubescheduler.config.k8s.io/v1`) as
//! kube-scheduler's `--config` file holds it.
//!
//! Merging follows the v1 defaults: per extension point, the default
//! plugins stay in their order unless `disabled` (`*` disables them all);
//! an `enabled` plugin that is a default keeps its place and takes the new
//! weight; other `enabled` plugins follow, in order. `multiPoint` applies to
//! every extension point the plugin implements, before the specific ones.

use super::framework::Framework;
use super::plugins::{self, names, DEFAULT_PLUGINS};
use serde_json::Value;

/// The extension points a profile configures, in the configuration's spelling.
pub const EXTENSION_POINTS: &[&str] = &[
    "preEnqueue",
    "queueSort",
    "preFilter",
    "filter",
    "postFilter",
    "preScore",
    "score",
    "reserve",
    "permit",
    "preBind",
    "bind",
];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    pub scheduler_name: String,
    /// Per extension point (in [`EXTENSION_POINTS`] order): plugin names and weights.
    pub points: Vec<(&'static str, Vec<(String, i64)>)>,
    pub percentage_of_nodes_to_score: Option<i64>,
}

fn implements(point: &str, name: &str) -> bool {
    match point {
        "preEnqueue" => plugins::pre_enqueue(name).is_some(),
        "queueSort" => plugins::queue_sort(name).is_some(),
        "preFilter" => plugins::pre_filter(name).is_some(),
        "filter" => plugins::filter(name).is_some(),
        "postFilter" => plugins::post_filter(name).is_some(),
        "preScore" => plugins::pre_score(name).is_some(),
        "score" => plugins::score(name).is_some(),
        "reserve" => plugins::reserve(name).is_some(),
        "permit" => plugins::permit(name).is_some(),
        "preBind" => plugins::pre_bind(name).is_some(),
        "bind" => plugins::bind(name).is_some(),
        _ => false,
    }
}

impl Default for Profile {
    /// `default-scheduler` with the v1.33 default plugins.
    fn default() -> Self {
        let points = EXTENSION_POINTS
            .iter()
            .map(|&p| {
                let list = DEFAULT_PLUGINS
                    .iter()
                    .filter(|(n, _)| implements(p, n))
                    .map(|(n, w)| (n.to_string(), if p == "score" { (*w).max(1) } else { 0 }))
                    .collect();
                (p, list)
            })
            .collect();
        Profile {
            scheduler_name: "default-scheduler".into(),
            points,
            percentage_of_nodes_to_score: None,
        }
    }
}

fn plugin_list(v: Option<&Value>) -> Vec<(String, i64)> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|p| {
                    (
                        p.get("name")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_string(),
                        p.get("weight").and_then(Value::as_i64).unwrap_or(0),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn merge(
    list: &mut Vec<(String, i64)>,
    point: &str,
    set: &Value,
    multi: bool,
) -> Result<(), String> {
    let disabled = plugin_list(set.get("disabled"));
    if disabled.iter().any(|(n, _)| n == "*") {
        list.clear();
    } else {
        list.retain(|(n, _)| !disabled.iter().any(|(d, _)| d == n));
    }
    for (name, weight) in plugin_list(set.get("enabled")) {
        if !plugins::known(&name) {
            return Err(format!("plugin {name:?} does not exist"));
        }
        if !implements(point, &name) {
            if multi {
                continue;
            }
            return Err(format!("plugin {name:?} does not extend {point} plugin"));
        }
        let weight = if point == "score" {
            if weight > 0 {
                weight
            } else {
                DEFAULT_PLUGINS
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, w)| (*w).max(1))
                    .unwrap_or(1)
            }
        } else {
            0
        };
        match list.iter_mut().find(|(n, _)| *n == name) {
            Some(e) => e.1 = weight,
            None => list.push((name, weight)),
        }
    }
    Ok(())
}

impl Profile {
    /// A profile from one entry of `profiles` (with the top-level percentage as fallback).
    pub fn from_value(v: &Value, global_pct: Option<i64>) -> Result<Profile, String> {
        let mut p = Profile::default();
        if let Some(n) = v.get("schedulerName").and_then(Value::as_str) {
            p.scheduler_name = n.to_string();
        }
        p.percentage_of_nodes_to_score = v
            .get("percentageOfNodesToScore")
            .and_then(Value::as_i64)
            .or(global_pct);
        if let Some(pct) = p.percentage_of_nodes_to_score {
            if !(0..=100).contains(&pct) {
                return Err(format!(
                    "percentageOfNodesToScore: Invalid value: {pct}: not in valid range [0-100]"
                ));
            }
        }
        let Some(plugins) = v.get("plugins") else {
            return Ok(p);
        };
        if let Some(multi) = plugins.get("multiPoint") {
            for (point, list) in p.points.iter_mut() {
                merge(list, point, multi, true)?;
            }
        }
        for (point, list) in p.points.iter_mut() {
            if let Some(set) = plugins.get(*point) {
                merge(list, point, set, false)?;
            }
        }
        Ok(p)
    }

    /// Every profile in a KubeSchedulerConfiguration (YAML or JSON text);
    /// one default profile when it lists none.
    pub fn from_config(text: &str) -> Result<Vec<Profile>, String> {
        let docs = crate::yaml::parse_documents(text).map_err(|e| e.to_string())?;
        let Some(cfg) = docs.into_iter().next() else {
            return Ok(vec![Profile::default()]);
        };
        if let Some(kind) = cfg.get("kind").and_then(Value::as_str) {
            if kind != "KubeSchedulerConfiguration" {
                return Err(format!(
                    "unexpected kind {kind:?}, want KubeSchedulerConfiguration"
                ));
            }
        }
        let global = cfg.get("percentageOfNodesToScore").and_then(Value::as_i64);
        let profiles: Vec<&Value> = cfg
            .get("profiles")
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        if profiles.is_empty() {
            return Ok(vec![Profile {
                percentage_of_nodes_to_score: global,
                ..Profile::default()
            }]);
        }
        profiles
            .into_iter()
            .map(|v| Profile::from_value(v, global))
            .collect()
    }

    pub fn plugins(&self, point: &str) -> &[(String, i64)] {
        self.points
            .iter()
            .find(|(p, _)| *p == point)
            .map(|(_, l)| l.as_slice())
            .unwrap_or(&[])
    }

    /// Instantiates the plugins.
    pub fn framework(&self, scheduler_name: &str) -> Framework {
        let names_of = |point: &str| {
            self.plugins(point)
                .iter()
                .map(|(n, _)| n.as_str())
                .collect::<Vec<_>>()
        };
        Framework {
            scheduler_name: scheduler_name.to_string(),
            queue_sort: names_of("queueSort")
                .into_iter()
                .find_map(plugins::queue_sort)
                .or_else(|| plugins::queue_sort(names::PRIORITY_SORT))
                .unwrap_or_else(|| Box::new(plugins::queuesort::PrioritySort)),
            pre_enqueue: names_of("preEnqueue")
                .into_iter()
                .filter_map(plugins::pre_enqueue)
                .collect(),
            pre_filter: names_of("preFilter")
                .into_iter()
                .filter_map(plugins::pre_filter)
                .collect(),
            filter: names_of("filter")
                .into_iter()
                .filter_map(plugins::filter)
                .collect(),
            post_filter: names_of("postFilter")
                .into_iter()
                .filter_map(plugins::post_filter)
                .collect(),
            pre_score: names_of("preScore")
                .into_iter()
                .filter_map(plugins::pre_score)
                .collect(),
            score: self
                .plugins("score")
                .iter()
                .filter_map(|(n, w)| plugins::score(n).map(|p| (p, *w)))
                .collect(),
            reserve: names_of("reserve")
                .into_iter()
                .filter_map(plugins::reserve)
                .collect(),
            permit: names_of("permit")
                .into_iter()
                .filter_map(plugins::permit)
                .collect(),
            pre_bind: names_of("preBind")
                .into_iter()
                .filter_map(plugins::pre_bind)
                .collect(),
            bind: names_of("bind")
                .into_iter()
                .filter_map(plugins::bind)
                .collect(),
            percentage_of_nodes_to_score: self.percentage_of_nodes_to_score,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        let p = Profile::default();
        let filter: Vec<&str> = p
            .plugins("filter")
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        assert_eq!(
            filter,
            [
                "NodeUnschedulable",
                "NodeName",
                "TaintToleration",
                "NodeAffinity",
                "NodePorts",
                "NodeResourcesFit",
                "VolumeBinding",
                "PodTopologySpread",
                "InterPodAffinity"
            ]
        );
        let score: Vec<(&str, i64)> = p
            .plugins("score")
            .iter()
            .map(|(n, w)| (n.as_str(), *w))
            .collect();
        assert_eq!(
            score,
            [
                ("TaintToleration", 3),
                ("NodeAffinity", 2),
                ("NodeResourcesFit", 1),
                ("PodTopologySpread", 2),
                ("InterPodAffinity", 2),
                ("NodeResourcesBalancedAllocation", 1),
                ("ImageLocality", 1)
            ]
        );
    }

    #[test]
    fn config() {
        let text = r#"
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
percentageOfNodesToScore: 40
profiles:
- schedulerName: default-scheduler
- schedulerName: no-scoring
  percentageOfNodesToScore: 100
  plugins:
    score:
      disabled:
      - name: "*"
      enabled:
      - name: NodeResourcesBalancedAllocation
        weight: 5
    filter:
      disabled:
      - name: TaintToleration
- schedulerName: reweighted
  plugins:
    score:
      enabled:
      - name: ImageLocality
        weight: 7
"#;
        let ps = Profile::from_config(text).unwrap_or_default();
        assert_eq!(ps.len(), 3);
        assert_eq!(ps[0].percentage_of_nodes_to_score, Some(40));
        assert_eq!(ps[1].scheduler_name, "no-scoring");
        assert_eq!(ps[1].percentage_of_nodes_to_score, Some(100));
        assert_eq!(
            ps[1].plugins("score"),
            &[("NodeResourcesBalancedAllocation".to_string(), 5)]
        );
        assert!(!ps[1]
            .plugins("filter")
            .iter()
            .any(|(n, _)| n == "TaintToleration"));
        // a default keeps its place with the new weight
        let s = ps[2].plugins("score");
        assert_eq!(s.last(), Some(&("ImageLocality".to_string(), 7)));
        assert_eq!(s.len(), 7);
        assert!(Profile::from_config(
            "profiles:\n- plugins:\n    filter:\n      enabled:\n      - name: Nope\n"
        )
        .is_err());
        assert!(Profile::from_config(
            "profiles:\n- plugins:\n    filter:\n      enabled:\n      - name: ImageLocality\n"
        )
        .is_err());
        assert_eq!(
            Profile::from_config("").unwrap_or_default(),
            vec![Profile::default()]
        );
    }
}
