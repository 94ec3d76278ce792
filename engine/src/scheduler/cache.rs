//! The scheduler's cache (upstream `internal/cache`): one [`NodeInfo`] per
//! node with the sums of what its pods request, kept up to date
//! incrementally as pods are bound or go away. Scheduling a pod reads it in
//! place — nothing is cloned per pod.

use super::types::{Labels, NodeInfo, PodInfo};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Clone, Debug, Default)]
pub struct Cache {
    /// Nodes, ordered by name.
    pub nodes: Vec<NodeInfo>,
    pub node_index: HashMap<String, usize>,
    /// Pods holding a node (bound or assumed): `ns/name` → pod.
    pub assigned: HashMap<String, Arc<PodInfo>>,
    /// Namespace labels, for affinity terms with a namespaceSelector.
    pub namespaces: HashMap<String, Labels>,
    /// PersistentVolumeClaims by `ns/name`, PersistentVolumes and StorageClasses by name.
    pub pvcs: HashMap<String, Value>,
    pub pvs: HashMap<String, Value>,
    pub storage_classes: HashMap<String, Value>,
    /// Assigned pods with pod affinity or anti-affinity terms (InterPodAffinity
    /// skips its work when there are none and the incoming pod has none).
    pub pods_with_affinity: usize,
    pub pods_with_required_anti_affinity: usize,
    /// Normalized image name → number of nodes that have it (ImageLocality's spread).
    pub image_nodes: HashMap<String, usize>,
}

impl Cache {
    pub fn node(&self, name: &str) -> Option<&NodeInfo> {
        self.node_index.get(name).and_then(|&i| self.nodes.get(i))
    }

    fn recount_images(&mut self) {
        self.image_nodes.clear();
        for n in &self.nodes {
            for img in n.images.keys() {
                *self.image_nodes.entry(img.clone()).or_default() += 1;
            }
        }
    }

    fn reindex(&mut self) {
        self.recount_images();
        crate::sort::sort_by(&mut self.nodes, |a, b| a.name.cmp(&b.name));
        self.node_index = self
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.name.clone(), i))
            .collect();
    }

    /// Adds or refreshes a node; returns whether anything changed.
    pub fn upsert_node(&mut self, fresh: NodeInfo) -> bool {
        match self.node_index.get(&fresh.name).copied() {
            Some(i) => match self.nodes.get_mut(i) {
                Some(n)
                    if n.resource_version != fresh.resource_version
                        || fresh.resource_version.is_empty() =>
                {
                    let images_changed = n.images != fresh.images;
                    n.refresh_from(fresh);
                    if images_changed {
                        self.recount_images();
                    }
                    true
                }
                _ => false,
            },
            None => {
                let name = fresh.name.clone();
                let mut n = fresh;
                for p in self.assigned.values() {
                    if p.node_name == name {
                        n.add_pod(p.clone());
                    }
                }
                // Nodes usually arrive in name order (a cluster being built):
                // appending keeps the order, so only this node is indexed.
                // Otherwise the whole index is rebuilt.
                if self.nodes.last().is_none_or(|last| last.name < name) {
                    for img in n.images.keys() {
                        *self.image_nodes.entry(img.clone()).or_default() += 1;
                    }
                    self.node_index.insert(name, self.nodes.len());
                    self.nodes.push(n);
                } else {
                    self.nodes.push(n);
                    self.reindex();
                }
                true
            }
        }
    }

    pub fn remove_node(&mut self, name: &str) {
        if let Some(i) = self.node_index.get(name).copied() {
            if i < self.nodes.len() {
                self.nodes.remove(i);
            }
            self.reindex();
        }
    }

    /// Puts a pod on its node (`spec.nodeName`), replacing an earlier version.
    pub fn add_pod(&mut self, pod: PodInfo) {
        let key = pod.key();
        self.remove_pod(&key);
        if pod.has_pod_affinity() {
            self.pods_with_affinity += 1;
        }
        if !pod.anti_affinity_required.is_empty() {
            self.pods_with_required_anti_affinity += 1;
        }
        let p = Arc::new(pod);
        if let Some(n) = self
            .node_index
            .get(&p.node_name)
            .copied()
            .and_then(|i| self.nodes.get_mut(i))
        {
            n.add_pod(p.clone());
        }
        self.assigned.insert(key, p);
    }

    /// Takes a pod off its node.
    pub fn remove_pod(&mut self, key: &str) -> Option<Arc<PodInfo>> {
        let p = self.assigned.remove(key)?;
        if p.has_pod_affinity() {
            self.pods_with_affinity = self.pods_with_affinity.saturating_sub(1);
        }
        if !p.anti_affinity_required.is_empty() {
            self.pods_with_required_anti_affinity =
                self.pods_with_required_anti_affinity.saturating_sub(1);
        }
        if let Some(n) = self
            .node_index
            .get(&p.node_name)
            .copied()
            .and_then(|i| self.nodes.get_mut(i))
        {
            n.remove_pod(&p.namespace, &p.name);
        }
        Some(p)
    }
}
