//! ImageLocality (Score): nodes that already have the pod's images score
//! higher, scaled by how widely the image is spread over the cluster.

use super::super::cache::Cache;
use super::super::framework::*;
use super::super::types::{NodeInfo, PodInfo};
use super::names;

#[derive(Debug)]
pub struct ImageLocality;

const MB: i64 = 1024 * 1024;
const MIN_THRESHOLD: i64 = 23 * MB;
const MAX_CONTAINER_THRESHOLD: i64 = 1000 * MB;

impl Plugin for ImageLocality {
    fn name(&self) -> &'static str {
        names::IMAGE_LOCALITY
    }
}

/// `calculatePriority`.
pub fn priority(sum: i64, containers: i64) -> i64 {
    let max = MAX_CONTAINER_THRESHOLD * containers.max(1);
    let s = sum.clamp(MIN_THRESHOLD, max);
    if max == MIN_THRESHOLD {
        return 0;
    }
    MAX_NODE_SCORE * (s - MIN_THRESHOLD) / (max - MIN_THRESHOLD)
}

impl ScorePlugin for ImageLocality {
    fn score(&self, _: &CycleState, pod: &PodInfo, node: &NodeInfo, cache: &Cache) -> i64 {
        if node.images.is_empty() {
            return priority(0, pod.images.len() as i64);
        }
        let total = cache.nodes.len().max(1) as f64;
        let sum: i64 = pod
            .images
            .iter()
            .filter_map(|img| node.images.get(img).map(|size| (img, *size)))
            .map(|(img, size)| {
                let spread = cache.image_nodes.get(img).copied().unwrap_or(1) as f64 / total;
                (size as f64 * spread) as i64
            })
            .sum();
        priority(sum, pod.images.len() as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds() {
        assert_eq!(priority(0, 1), 0);
        assert_eq!(priority(2000 * MB, 1), 100);
        assert_eq!(
            priority(
                MIN_THRESHOLD + (MAX_CONTAINER_THRESHOLD - MIN_THRESHOLD) / 2,
                1
            ),
            50
        );
    }
}
