// Indexing is safe in this module: args[1..] after the first argument has been read (args is not empty).
#![allow(clippy::indexing_slicing)]
//! The objects a mutating verb acts on, found as cli-runtime's resource
//! builder finds them: `TYPE NAME…`, `TYPE/NAME…`, `-f FILE`, `TYPE -l
//! SELECTOR`, `TYPE --all`. Shared by delete, label, annotate, scale,
//! describe, rollout, set, patch and friends, so their "which objects"
//! errors are the same words.

use super::super::{builder, flags::Parsed, Context};
use super::common::resolve_type;
use crate::api::{object, Resource};
use crate::apiserver::ApiError;
use serde_json::Value;

/// One object found, as the server has it now.
#[derive(Debug, Clone)]
pub struct Item {
    pub res: &'static Resource,
    pub ns: Option<String>,
    pub name: String,
    pub obj: Value,
    /// The `-f` source it came from (`"pod.yaml"`), for error wrapping.
    pub source: Option<String>,
}

impl Item {
    /// `pod`, `deployment.apps` (how kubectl names a kind in its messages).
    pub fn kind_name(&self) -> String {
        self.res.singular_for_name()
    }
}

/// kubectl's error for a command given nothing to act on.
pub const NO_RESOURCES: &str = "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

/// What a verb allows in place of names.
#[derive(Clone, Copy, Debug, Default)]
pub struct Allow {
    /// `--all` / `-l` / `--field-selector` select by type.
    pub selectors: bool,
    /// A bare `TYPE` means every object of it (describe, get).
    pub bare_type: bool,
    /// cli-runtime's `RequireObject(false)` (delete): objects named by
    /// argument or read from `-f` are not fetched first, so a missing one
    /// is reported by the verb's own request (`error when deleting
    /// "f.yaml": …`) and a client dry run never asks the server. Their
    /// `obj` is the file's object, or `null` for a name.
    pub unfetched: bool,
}

/// The result of a selection: objects found and errors in kubectl's
/// words, printed after the work on the found ones (kubectl aggregates).
#[derive(Debug, Default)]
pub struct Selection {
    pub items: Vec<Item>,
    pub errors: Vec<String>,
}

/// Finds the objects `args` and the selection flags name. A hard error
/// (nothing could be resolved) comes back as `Err`.
pub fn select(
    ctx: &mut Context<'_>,
    p: &Parsed,
    args: &[String],
    allow: Allow,
) -> Result<Selection, String> {
    let files = p.strings("filename");
    let label_sel = p.string("selector").filter(|s| !s.is_empty());
    let field_sel = p.string("field-selector").filter(|s| !s.is_empty());
    let all = p.bool("all");
    let all_ns = p.bool("all-namespaces");
    let mut sel = Selection::default();
    if !files.is_empty() {
        if !args.is_empty() {
            // cli-runtime's builder refuses resource arguments next to -f.
            return Err("error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well".into());
        }
        let (infos, errors) = builder::read(ctx, &files, p.bool("recursive"));
        sel.errors.extend(errors);
        let explicit = p.is_set("namespace");
        for info in infos {
            let ns = match builder::namespace_for(&info, &ctx.namespace, explicit) {
                Ok(ns) => ns,
                Err(e) => {
                    sel.errors.push(e);
                    continue;
                }
            };
            let name = object::name(&info.object).to_string();
            if allow.unfetched {
                sel.items.push(Item {
                    res: info.resource,
                    ns,
                    name,
                    obj: info.object,
                    source: Some(info.source.clone()),
                });
                continue;
            }
            match ctx
                .cluster
                .apiserver
                .get(info.resource, ns.as_deref(), &name)
            {
                Ok(obj) => sel.items.push(Item {
                    res: info.resource,
                    ns,
                    name,
                    obj,
                    source: Some(info.source.clone()),
                }),
                Err(e) => sel.errors.push(e.kubectl_text()),
            }
        }
        return Ok(sel);
    }
    let Some(first) = args.first() else {
        return Err(NO_RESOURCES.to_string());
    };
    // TYPE/NAME form.
    if args.iter().all(|a| a.contains('/')) {
        for a in args {
            let (t, n) = a.split_once('/').unwrap_or((a, ""));
            let res = resolve_type(t)?;
            if n.is_empty() {
                return Err(
                    "error: arguments in resource/name form must have a single resource and name"
                        .to_string(),
                );
            }
            get_one(ctx, res, n, allow, &mut sel);
        }
        return Ok(sel);
    }
    if args.iter().any(|a| a.contains('/')) {
        return Err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'".to_string());
    }
    let mut types = Vec::new();
    for t in first.split(',').filter(|t| !t.is_empty()) {
        types.push(resolve_type(t)?);
    }
    let names = &args[1..];
    let by_selector = all || label_sel.is_some() || field_sel.is_some();
    if !names.is_empty() {
        if by_selector && allow.selectors {
            return Err("error: name cannot be provided when a selector is specified".into());
        }
        for res in &types {
            for n in names {
                get_one(ctx, res, n, allow, &mut sel);
            }
        }
        return Ok(sel);
    }
    if !(allow.bare_type || by_selector && allow.selectors) {
        return Err("error: resource(s) were provided, but no name was specified".into());
    }
    for res in types {
        let ns = if !res.namespaced || all_ns {
            None
        } else {
            Some(ctx.namespace.clone())
        };
        let found = ctx
            .cluster
            .apiserver
            .list_filtered(res, ns.as_deref(), label_sel, field_sel);
        match found {
            Ok(objs) => {
                for obj in objs {
                    sel.items.push(Item {
                        res,
                        ns: res
                            .namespaced
                            .then(|| object::namespace(&obj).unwrap_or_default().to_string()),
                        name: object::name(&obj).to_string(),
                        obj,
                        source: None,
                    });
                }
            }
            Err(e) => return Err(e.kubectl_text()),
        }
    }
    Ok(sel)
}

fn get_one(
    ctx: &mut Context<'_>,
    res: &'static Resource,
    name: &str,
    allow: Allow,
    sel: &mut Selection,
) {
    let ns = res.namespaced.then(|| ctx.namespace.clone());
    if allow.unfetched {
        sel.items.push(Item {
            res,
            ns,
            name: name.to_string(),
            obj: Value::Null,
            source: None,
        });
        return;
    }
    match ctx.cluster.apiserver.get(res, ns.as_deref(), name) {
        Ok(obj) => sel.items.push(Item {
            res,
            ns,
            name: name.to_string(),
            obj,
            source: None,
        }),
        Err(e) => sel.errors.push(e.kubectl_text()),
    }
}

/// A server error on an item, wrapped with its `-f` source as kubectl's
/// `AddSourceToErr` does.
pub fn item_error(item: &Item, e: &ApiError, verb: &str) -> String {
    match &item.source {
        Some(src) => builder::server_error(e, verb, src),
        None => e.kubectl_text(),
    }
}
