//! The customer journey (客户旅程) and the roll-up of transactional NPS along it.
//!
//! DESIGN §1, *Journey model*: a journey has stages (阶段: buy, onboarding, claim…), each stage
//! has scenes (场景: the typical situations of the stage), each scene has touchpoints (触点: app,
//! phone, branch, letter…). Transactional NPS (tNPS) is collected right after a contact, so each
//! response belongs to one touchpoint; a scene's NPS is that of all its touchpoints' responses
//! and a stage's that of all its scenes'.
//!
//! - [`Journey`]: the validated stage → scene → touchpoint tree, built from [`Node`]s
//!   ([`Journey::new`]) or read from JSON ([`Journey::from_json`], nested or flat form).
//! - [`journey`]: one pass over a response [`Table`] tallies every touchpoint; scene and stage
//!   tallies are sums of tallies (tallies merge exactly, so a scene's tally is the tally of its
//!   responses), each with its estimate, small-sample flag and share of the responses.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Deserialize, Serialize, Serializer};

use crate::group::GroupOptions;
use crate::interval::Estimate;
use crate::table::{NA, Table};
use crate::tally::{Tally, tally_groups};
use crate::{Error, Result};

/// The level of a journey node: stage (阶段), scene (场景) or touchpoint (触点).
///
/// Serialized in snake case: `"stage"`, `"scene"`, `"touchpoint"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    /// A stage of the journey (阶段: buy, onboarding, claim…); it has no parent.
    Stage,
    /// A scene (场景): a typical situation inside a stage; its parent is a stage.
    Scene,
    /// A touchpoint (触点: app, phone, branch…) where transactional NPS is collected; its
    /// parent is a scene.
    Touchpoint,
}

impl NodeKind {
    /// The kind as written in JSON and in messages.
    fn as_str(self) -> &'static str {
        match self {
            NodeKind::Stage => "stage",
            NodeKind::Scene => "scene",
            NodeKind::Touchpoint => "touchpoint",
        }
    }

    /// The kind a node of this kind must have as parent (`None` for a stage).
    fn parent_kind(self) -> Option<NodeKind> {
        match self {
            NodeKind::Stage => None,
            NodeKind::Scene => Some(NodeKind::Stage),
            NodeKind::Touchpoint => Some(NodeKind::Scene),
        }
    }
}

/// One node of a journey (DESIGN §1, journey model): a stage (阶段), scene (场景) or touchpoint
/// (触点), with the id of its parent (`None` for a stage).
///
/// Ids are unique across all levels of a journey; touchpoint ids are the values of the table's
/// touchpoint dimension that [`journey`] rolls up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node {
    /// Unique id ("buy", "buy.compare", "buy.web_quote").
    pub id: String,
    /// Display name ("Comparing offers"); the id when the JSON gives none.
    pub name: String,
    /// Stage, scene or touchpoint.
    pub kind: NodeKind,
    /// The parent's id: a stage for a scene, a scene for a touchpoint, `None` for a stage.
    pub parent: Option<String>,
}

/// A validated customer journey (客户旅程, DESIGN §1): stages (阶段) → scenes (场景) →
/// touchpoints (触点).
///
/// Guarantees: ids are non-empty and unique across all levels; every stage has no parent, every
/// scene's parent is a stage, every touchpoint's parent is a scene; there is no cycle; there is
/// at least one touchpoint. Stages and scenes without children are allowed (they roll up to
/// n = 0).
///
/// The nodes are kept in tree order: a stage, then each of its scenes followed by that scene's
/// touchpoints, then the next stage; stages in the order given, children in the order given.
///
/// Serializes (serde) in the nested form `{"stages": [{"id", "name", "scenes": [{"id", "name",
/// "touchpoints": [{"id", "name"}]}]}]}`, the form [`Journey::to_json`] writes.
#[derive(Debug, Clone, PartialEq)]
pub struct Journey {
    /// The nodes in tree order.
    nodes: Vec<Node>,
    /// Position in `nodes` of each id.
    index: HashMap<String, usize>,
    /// Positions in `nodes` of each node's children, in order.
    children: Vec<Vec<usize>>,
    /// Positions in `nodes` of the stages, in order.
    stages: Vec<usize>,
}

/// The `id` of [`Error::InvalidJourney`] when the problem is the journey as a whole (no
/// touchpoint) rather than one node.
const WHOLE_JOURNEY: &str = "(journey)";

/// The `touchpoint` of [`Error::UnknownTouchpoint`] for a response with no touchpoint value.
const MISSING_TOUCHPOINT: &str = "(missing)";

/// What [`Journey::from_json`] expects, for [`Error::InvalidArgument`].
const JSON_EXPECTED: &str = "a JSON journey: {\"stages\": [...]} or {\"nodes\": [...]}";

fn invalid(id: &str, problem: impl Into<String>) -> Error {
    Error::InvalidJourney {
        id: id.to_owned(),
        problem: problem.into(),
    }
}

impl Journey {
    /// A journey from its nodes, in any order (a child may come before its parent); siblings
    /// keep the order in which they are given.
    ///
    /// Checks, in this order, each failure an [`Error::InvalidJourney`] naming the node:
    /// 1. ids are not empty (nor only white space): problem "empty id (…)", the node named by its
    ///    position and name;
    /// 2. ids are unique across all levels: problem "duplicate id";
    /// 3. every parent exists: "parent \"x\" does not exist";
    /// 4. following parents never comes back to a node: "cycle: a → b → a" (checked before the
    ///    levels, so a cycle is reported as such even when its kinds are also wrong);
    /// 5. levels: a stage has no parent, a scene's parent is a stage, a touchpoint's parent is
    ///    a scene ("the parent of a touchpoint must be a scene; \"x\" is a stage");
    /// 6. there is at least one touchpoint: id `"(journey)"`, problem "the journey has no
    ///    touchpoint…".
    ///
    /// # Errors
    /// [`Error::InvalidJourney`] as above.
    pub fn new(nodes: Vec<Node>) -> Result<Journey> {
        // 1. Empty ids.
        if let Some((i, node)) = nodes
            .iter()
            .enumerate()
            .find(|(_, n)| n.id.trim().is_empty())
        {
            return Err(invalid(
                &node.id,
                format!(
                    "empty id (the {} at position {i}, named {:?}); every node needs an id",
                    node.kind.as_str(),
                    node.name
                ),
            ));
        }
        // 2. Unique ids.
        let mut index: HashMap<&str, usize> = HashMap::with_capacity(nodes.len());
        for (i, node) in nodes.iter().enumerate() {
            if index.insert(node.id.as_str(), i).is_some() {
                return Err(invalid(&node.id, "duplicate id"));
            }
        }
        // 3. Parents exist.
        let mut parents: Vec<Option<usize>> = Vec::with_capacity(nodes.len());
        for node in &nodes {
            parents.push(match &node.parent {
                None => None,
                Some(p) => Some(*index.get(p.as_str()).ok_or_else(|| {
                    invalid(&node.id, format!("parent {p:?} does not exist"))
                })?),
            });
        }
        // 4. Cycles: follow parents from every node, marking the nodes on the current path.
        const NEW: u8 = 0;
        const ON_PATH: u8 = 1;
        const DONE: u8 = 2;
        let mut state = vec![NEW; nodes.len()];
        for start in 0..nodes.len() {
            let mut path = Vec::new();
            let mut at = Some(start);
            while let Some(i) = at {
                match state[i] {
                    DONE => break,
                    ON_PATH => {
                        let from = path.iter().position(|&p| p == i).expect("on the path");
                        let ids: Vec<&str> = path[from..]
                            .iter()
                            .chain(std::iter::once(&i))
                            .map(|&p| nodes[p].id.as_str())
                            .collect();
                        return Err(invalid(
                            &nodes[i].id,
                            format!("cycle: {}", ids.join(" → ")),
                        ));
                    }
                    _ => {
                        state[i] = ON_PATH;
                        path.push(i);
                        at = parents[i];
                    }
                }
            }
            for p in path {
                state[p] = DONE;
            }
        }
        // 5. Levels.
        for (node, parent) in nodes.iter().zip(&parents) {
            let kind = node.kind.as_str();
            match (node.kind.parent_kind(), parent) {
                (None, None) => {}
                (None, Some(p)) => {
                    return Err(invalid(
                        &node.id,
                        format!(
                            "a stage has no parent, but its parent is {:?} (a {})",
                            nodes[*p].id,
                            nodes[*p].kind.as_str()
                        ),
                    ));
                }
                (Some(want), None) => {
                    return Err(invalid(
                        &node.id,
                        format!(
                            "the parent of a {kind} must be a {}; it has no parent",
                            want.as_str()
                        ),
                    ));
                }
                (Some(want), Some(p)) if nodes[*p].kind != want => {
                    return Err(invalid(
                        &node.id,
                        format!(
                            "the parent of a {kind} must be a {}; {:?} is a {}",
                            want.as_str(),
                            nodes[*p].id,
                            nodes[*p].kind.as_str()
                        ),
                    ));
                }
                (Some(_), Some(_)) => {}
            }
        }
        // 6. At least one touchpoint.
        if !nodes.iter().any(|n| n.kind == NodeKind::Touchpoint) {
            let count = |k: NodeKind| nodes.iter().filter(|n| n.kind == k).count();
            return Err(invalid(
                WHOLE_JOURNEY,
                format!(
                    "the journey has no touchpoint ({} stage(s), {} scene(s)); \
                     it needs at least one stage → scene → touchpoint",
                    count(NodeKind::Stage),
                    count(NodeKind::Scene)
                ),
            ));
        }
        // Tree order: each stage, then each of its scenes followed by their touchpoints.
        let mut given_children: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
        for (i, parent) in parents.iter().enumerate() {
            if let Some(p) = parent {
                given_children[*p].push(i);
            }
        }
        let mut order = Vec::with_capacity(nodes.len());
        for (s, parent) in parents.iter().enumerate() {
            if parent.is_none() {
                order.push(s);
                for &c in &given_children[s] {
                    order.push(c);
                    order.extend(&given_children[c]);
                }
            }
        }
        debug_assert_eq!(order.len(), nodes.len(), "a valid tree reaches every node");
        let mut position = vec![0usize; nodes.len()];
        for (new, &old) in order.iter().enumerate() {
            position[old] = new;
        }
        let children = order
            .iter()
            .map(|&old| given_children[old].iter().map(|&c| position[c]).collect())
            .collect();
        let stages = order
            .iter()
            .enumerate()
            .filter(|&(_, &old)| parents[old].is_none())
            .map(|(new, _)| new)
            .collect();
        drop(index);
        let mut slots: Vec<Option<Node>> = nodes.into_iter().map(Some).collect();
        let nodes: Vec<Node> = order
            .iter()
            .map(|&old| slots[old].take().expect("each node once"))
            .collect();
        let index = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.clone(), i))
            .collect();
        Ok(Journey {
            nodes,
            index,
            children,
            stages,
        })
    }

    /// A journey from JSON, in either of two forms.
    ///
    /// Nested (what [`Journey::to_json`] writes; it cannot express a bad parent):
    /// `{"stages": [{"id": "buy", "name": "Buy", "scenes": [{"id": "buy.compare", "name": "…",
    /// "touchpoints": [{"id": "buy.web_quote", "name": "Web quote"}]}]}]}`; `scenes` and
    /// `touchpoints` may be left out (no children).
    ///
    /// Flat: `{"nodes": [{"id": "buy", "name": "Buy", "kind": "stage", "parent": null}, …]}`
    /// with `kind` one of `"stage"`, `"scene"`, `"touchpoint"` and `parent` an id, `null` or
    /// absent; nodes in any order.
    ///
    /// In both forms `name` is optional (defaults to the id) and other keys are ignored. The
    /// text must be strict JSON (RFC 8259: no comments, no trailing commas, no duplicate keys).
    /// The reader is built in, as `nps-core` does not depend on `serde_json`; its messages follow
    /// `serde_json`'s ("expected `,` or `}` at line 3 column 7") and give the path of a bad value
    /// (`stages[0].scenes[1]: missing field \`id\``).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] (field `"journey"`) for text that is not JSON or not of either
    /// form; then the checks of [`Journey::new`] ([`Error::InvalidJourney`]).
    ///
    /// # Examples
    /// ```
    /// use nps_core::{Journey, NodeKind};
    /// let nested = Journey::from_json(r#"{"stages": [
    ///     {"id": "claim", "name": "Claim", "scenes": [
    ///         {"id": "claim.report", "name": "Reporting a claim", "touchpoints": [
    ///             {"id": "claim.phone", "name": "First notice by phone"},
    ///             {"id": "claim.app"}]}]}]}"#)?;
    /// assert_eq!(nested.nodes().len(), 4);
    /// assert_eq!(nested.node("claim.app").unwrap().name, "claim.app"); // name defaults to the id
    /// let ids: Vec<&str> = nested.touchpoints().map(|n| n.id.as_str()).collect();
    /// assert_eq!(ids, ["claim.phone", "claim.app"]);
    ///
    /// // The flat form, nodes in any order, gives the same journey.
    /// let flat = Journey::from_json(r#"{"nodes": [
    ///     {"id": "claim.phone", "name": "First notice by phone", "kind": "touchpoint", "parent": "claim.report"},
    ///     {"id": "claim", "name": "Claim", "kind": "stage", "parent": null},
    ///     {"id": "claim.report", "name": "Reporting a claim", "kind": "scene", "parent": "claim"},
    ///     {"id": "claim.app", "kind": "touchpoint", "parent": "claim.report"}]}"#)?;
    /// assert_eq!(flat, nested);
    /// assert_eq!(flat.node("claim.report").unwrap().kind, NodeKind::Scene);
    /// assert_eq!(Journey::from_json(&flat.to_json())?, flat);
    /// # Ok::<(), nps_core::Error>(())
    /// ```
    pub fn from_json(text: &str) -> Result<Journey> {
        let nodes = json::parse(text)
            .and_then(|value| read_nodes(&value))
            .map_err(|message| Error::InvalidArgument {
                field: "journey",
                value: message,
                expected: JSON_EXPECTED,
            })?;
        Journey::new(nodes)
    }

    /// The journey as compact JSON (one line, no spaces) in the nested form
    /// `{"stages":[{"id":…,"name":…,"scenes":[{"id":…,"name":…,"touchpoints":[{"id":…,"name":…}]}]}]}`,
    /// every name written, children in tree order. [`Journey::from_json`] reads it back to an
    /// equal journey; it is also what serde's `serde_json::to_string` gives.
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\"stages\":[");
        for (k, &s) in self.stages.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            self.write_node(&mut out, s);
        }
        out.push_str("]}");
        out
    }

    /// Writes node `i` and its subtree as a JSON object.
    fn write_node(&self, out: &mut String, i: usize) {
        let node = &self.nodes[i];
        out.push_str("{\"id\":");
        json::write_string(out, &node.id);
        out.push_str(",\"name\":");
        json::write_string(out, &node.name);
        if let Some(key) = children_key(node.kind) {
            out.push_str(",\"");
            out.push_str(key);
            out.push_str("\":[");
            for (k, &c) in self.children[i].iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                self.write_node(out, c);
            }
            out.push(']');
        }
        out.push('}');
    }

    /// The nodes in tree order: a stage, each of its scenes followed by that scene's
    /// touchpoints, then the next stage.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The touchpoints (触点), in tree order.
    pub fn touchpoints(&self) -> impl Iterator<Item = &Node> {
        self.nodes
            .iter()
            .filter(|n| n.kind == NodeKind::Touchpoint)
    }

    /// The node with id `id`, if any.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.index.get(id).map(|&i| &self.nodes[i])
    }
}

/// The key of a node's children in the nested form (`None` for a touchpoint).
fn children_key(kind: NodeKind) -> Option<&'static str> {
    match kind {
        NodeKind::Stage => Some("scenes"),
        NodeKind::Scene => Some("touchpoints"),
        NodeKind::Touchpoint => None,
    }
}

impl Serialize for Journey {
    /// The nested form: `{"stages": [{"id", "name", "scenes": [{"id", "name", "touchpoints":
    /// [{"id", "name"}]}]}]}`.
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Journey", 1)?;
        s.serialize_field(
            "stages",
            &Subtrees {
                journey: self,
                list: &self.stages,
            },
        )?;
        s.end()
    }
}

/// A list of nodes with their subtrees, serialized as a sequence of nested objects.
struct Subtrees<'a> {
    journey: &'a Journey,
    list: &'a [usize],
}

impl Serialize for Subtrees<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.list.len()))?;
        for &i in self.list {
            seq.serialize_element(&Subtree {
                journey: self.journey,
                at: i,
            })?;
        }
        seq.end()
    }
}

/// One node with its subtree, serialized as `{"id", "name"[, "scenes" | "touchpoints"]}`.
struct Subtree<'a> {
    journey: &'a Journey,
    at: usize,
}

impl Serialize for Subtree<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let node = &self.journey.nodes[self.at];
        let key = children_key(node.kind);
        let mut s = serializer.serialize_struct("Node", 2 + usize::from(key.is_some()))?;
        s.serialize_field("id", &node.id)?;
        s.serialize_field("name", &node.name)?;
        if let Some(key) = key {
            s.serialize_field(
                key,
                &Subtrees {
                    journey: self.journey,
                    list: &self.journey.children[self.at],
                },
            )?;
        }
        s.end()
    }
}

/// The nodes of a parsed JSON journey, nested or flat form; a message with the path of the bad
/// value otherwise.
fn read_nodes(value: &json::Value) -> std::result::Result<Vec<Node>, String> {
    use json::Value;
    let Value::Object(top) = value else {
        return Err(format!(
            "invalid type: {}, expected an object with \"stages\" or \"nodes\"",
            value.describe()
        ));
    };
    match (json::get(top, "stages"), json::get(top, "nodes")) {
        (Some(_), Some(_)) => {
            Err("both `stages` and `nodes` given; a journey uses one form or the other".into())
        }
        (None, None) => Err("missing field `stages` (or `nodes`)".into()),
        (Some(stages), None) => {
            let mut out = Vec::new();
            read_nested(stages, "stages", NodeKind::Stage, None, &mut out)?;
            Ok(out)
        }
        (None, Some(nodes)) => {
            let items = json::array(nodes, "nodes")?;
            items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let path = format!("nodes[{i}]");
                    let fields = json::object(item, &path)?;
                    let id = json::string(fields, "id", &path, true)?.unwrap_or_default();
                    let name = json::string(fields, "name", &path, false)?;
                    let kind = match json::string(fields, "kind", &path, true)?.as_deref() {
                        Some("stage") => NodeKind::Stage,
                        Some("scene") => NodeKind::Scene,
                        Some("touchpoint") => NodeKind::Touchpoint,
                        other => {
                            return Err(format!(
                                "{path}.kind: unknown kind {:?}, expected one of `stage`, \
                                 `scene`, `touchpoint`",
                                other.unwrap_or_default()
                            ));
                        }
                    };
                    let parent = json::string(fields, "parent", &path, false)?;
                    Ok(Node {
                        name: name.unwrap_or_else(|| id.clone()),
                        id,
                        kind,
                        parent,
                    })
                })
                .collect()
        }
    }
}

/// Appends the nodes of the nested-form list `list` (at `path`, of `kind`, children of
/// `parent`) and of their subtrees to `out`.
fn read_nested(
    list: &json::Value,
    path: &str,
    kind: NodeKind,
    parent: Option<&str>,
    out: &mut Vec<Node>,
) -> std::result::Result<(), String> {
    for (i, item) in json::array(list, path)?.iter().enumerate() {
        let path = format!("{path}[{i}]");
        let fields = json::object(item, &path)?;
        let id = json::string(fields, "id", &path, true)?.unwrap_or_default();
        let name = json::string(fields, "name", &path, false)?;
        out.push(Node {
            name: name.unwrap_or_else(|| id.clone()),
            id: id.clone(),
            kind,
            parent: parent.map(str::to_owned),
        });
        let below = match kind {
            NodeKind::Stage => Some(NodeKind::Scene),
            NodeKind::Scene => Some(NodeKind::Touchpoint),
            NodeKind::Touchpoint => None,
        };
        if let (Some(key), Some(below)) = (children_key(kind), below) {
            if let Some(children) = json::get(fields, key) {
                read_nested(children, &format!("{path}.{key}"), below, Some(&id), out)?;
            }
        }
    }
    Ok(())
}

/// One node of the journey roll-up: its tally, estimate and share of the responses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JourneyRow {
    /// Stage (阶段), scene (场景) or touchpoint (触点).
    pub kind: NodeKind,
    /// The node's id.
    pub id: String,
    /// The node's name.
    pub name: String,
    /// The parent's id (`None` for a stage).
    pub parent: Option<String>,
    /// The responses of the node: a touchpoint's from the table, a scene's the sum of its
    /// touchpoints', a stage's the sum of its scenes'.
    pub tally: Tally,
    /// NPS, shares, SE and interval; `None` when no response of the node answered.
    pub estimate: Option<Estimate>,
    /// Fewer answered responses than `min_n` (always so with none): reported, but not to be read
    /// as a result.
    pub small: bool,
    /// This node's share of the journey's answered responses, n_node / n_all (counts, not
    /// weights); 0 when no response answered. Sums to 1 over the touchpoints, over the scenes
    /// and over the stages.
    pub share: f64,
}

/// Transactional NPS rolled up along `journey` (DESIGN §1, journey model): one row per node in
/// tree order ([`Journey::nodes`]), stage (阶段) → scene (场景) → touchpoint (触点).
///
/// `touchpoint` names the table's dimension holding each response's touchpoint id. One pass
/// over the rows tallies every touchpoint; a scene's tally is the sum of its touchpoints', a
/// stage's the sum of its scenes' (tallies merge exactly, weights included). Each node gets
/// `options`' estimate and small flag (`options.margins` is not used); a touchpoint of the
/// journey without responses appears with n = 0, no estimate and `small`. Every response must
/// be at a touchpoint of the journey (a value of the dimension that no response uses does not
/// matter).
///
/// # Errors
/// The options' errors ([`GroupOptions::validate`]); [`Error::UnknownColumn`] when the table has
/// no dimension `touchpoint`; [`Error::UnknownTouchpoint`] naming the first response whose
/// touchpoint is not a touchpoint of the journey (a scene's or stage's id is not one either),
/// or is missing (touchpoint `"(missing)"`); [`Error::ZeroTotalWeight`] for a node whose
/// answered responses all have weight zero.
///
/// # Examples
/// ```
/// use nps_core::{Dimension, GroupOptions, Journey, NodeKind, Table, journey};
/// let claim = Journey::from_json(r#"{"stages": [
///     {"id": "claim", "name": "Claim", "scenes": [
///         {"id": "claim.report", "name": "Reporting a claim", "touchpoints": [
///             {"id": "claim.phone", "name": "By phone"},
///             {"id": "claim.app", "name": "In the app"}]}]}]}"#)?;
/// let touchpoint = [Some("claim.phone"), Some("claim.app"), Some("claim.app"), Some("claim.phone")];
/// let table = Table::new(&[10u8, 9, 3, 8])?
///     .with_dimension(Dimension::from_values("touchpoint", &touchpoint))?;
/// let rows = journey(&table, &claim, "touchpoint", &GroupOptions::default())?;
/// let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
/// assert_eq!(ids, ["claim", "claim.report", "claim.phone", "claim.app"]);
/// assert_eq!(rows[0].kind, NodeKind::Stage);
/// assert_eq!(rows[0].tally, rows[2].tally.clone() + rows[3].tally.clone());
/// let stage = rows[0].estimate.unwrap();
/// assert!((stage.nps - 25.0).abs() < 1e-12); // 2 promoters, 1 detractor in 4
/// assert!((rows[2].share - 0.5).abs() < 1e-12);
/// assert!(rows[0].small); // 4 answers < 30
/// # Ok::<(), nps_core::Error>(())
/// ```
pub fn journey(
    table: &Table,
    journey: &Journey,
    touchpoint: &str,
    options: &GroupOptions,
) -> Result<Vec<JourneyRow>> {
    options.validate()?;
    let dimension = table.dimension(touchpoint)?;
    // Touchpoint slot (0..touchpoints) of each node of the journey that is a touchpoint.
    let mut slot_of_node = vec![u32::MAX; journey.nodes.len()];
    let mut node_of_slot = Vec::new();
    for (i, node) in journey.nodes.iter().enumerate() {
        if node.kind == NodeKind::Touchpoint {
            slot_of_node[i] = node_of_slot.len() as u32;
            node_of_slot.push(i);
        }
    }
    // Slot of each level of the dimension (u32::MAX: not a touchpoint of the journey).
    let slot_of_level: Vec<u32> = dimension
        .levels()
        .iter()
        .map(|level| {
            journey
                .index
                .get(level.as_str())
                .map_or(u32::MAX, |&i| slot_of_node[i])
        })
        .collect();
    let mut keys = Vec::with_capacity(dimension.len());
    for (row, &code) in dimension.codes().iter().enumerate() {
        let slot = if code == NA {
            u32::MAX
        } else {
            slot_of_level[code as usize]
        };
        if slot == u32::MAX {
            return Err(Error::UnknownTouchpoint {
                index: row,
                touchpoint: dimension
                    .value(row)
                    .unwrap_or(MISSING_TOUCHPOINT)
                    .to_owned(),
            });
        }
        keys.push(slot);
    }
    let scale = table.scale();
    let mut by_slot = tally_groups(
        scale,
        table.score_codes(),
        table.weights(),
        &keys,
        node_of_slot.len(),
    )
    .into_iter();
    // Tallies in tree order; children come after their parent, so fill bottom-up.
    let mut tallies: Vec<Tally> = vec![Tally::new(scale); journey.nodes.len()];
    for (i, node) in journey.nodes.iter().enumerate() {
        if node.kind == NodeKind::Touchpoint {
            tallies[i] = by_slot.next().expect("one tally per touchpoint");
        }
    }
    for i in (0..journey.nodes.len()).rev() {
        if journey.nodes[i].kind != NodeKind::Touchpoint {
            let mut sum = Tally::new(scale);
            for &c in &journey.children[i] {
                sum += &tallies[c];
            }
            tallies[i] = sum;
        }
    }
    let n_all: u64 = journey.stages.iter().map(|&s| tallies[s].n()).sum();
    journey
        .nodes
        .iter()
        .zip(tallies)
        .map(|(node, tally)| {
            let (estimate, small) = options.estimate(&tally)?;
            let n = tally.n();
            Ok(JourneyRow {
                kind: node.kind,
                id: node.id.clone(),
                name: node.name.clone(),
                parent: node.parent.clone(),
                share: if n_all == 0 {
                    0.0
                } else {
                    n as f64 / n_all as f64
                },
                small: small || n == 0,
                estimate,
                tally,
            })
        })
        .collect()
}

/// A strict JSON (RFC 8259) reader and string writer, just what journeys need: `nps-core` does
/// not depend on `serde_json`. Messages follow `serde_json`'s.
mod json {
    use super::{HashSet, Write as _};

    /// Nesting deeper than this is refused (as `serde_json` does), so no input overflows the
    /// stack.
    const MAX_DEPTH: usize = 128;

    /// A parsed JSON value; object entries in the order written.
    #[derive(Debug, Clone, PartialEq)]
    pub(super) enum Value {
        Null,
        Bool(bool),
        Number(f64),
        String(String),
        Array(Vec<Value>),
        Object(Vec<(String, Value)>),
    }

    impl Value {
        /// The value's type (and short value) for a message: "string \"x\"", "map"…
        pub(super) fn describe(&self) -> String {
            match self {
                Value::Null => "null".into(),
                Value::Bool(b) => format!("boolean `{b}`"),
                Value::Number(x) => format!("number `{x}`"),
                Value::String(s) => format!("string {s:?}"),
                Value::Array(_) => "sequence".into(),
                Value::Object(_) => "map".into(),
            }
        }
    }

    /// The value of `key` in an object's entries.
    pub(super) fn get<'a>(entries: &'a [(String, Value)], key: &str) -> Option<&'a Value> {
        entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The entries of `value`, which must be an object.
    pub(super) fn object<'a>(
        value: &'a Value,
        path: &str,
    ) -> Result<&'a [(String, Value)], String> {
        match value {
            Value::Object(entries) => Ok(entries),
            other => Err(format!(
                "{path}: invalid type: {}, expected an object",
                other.describe()
            )),
        }
    }

    /// The items of `value`, which must be an array.
    pub(super) fn array<'a>(value: &'a Value, path: &str) -> Result<&'a [Value], String> {
        match value {
            Value::Array(items) => Ok(items),
            other => Err(format!(
                "{path}: invalid type: {}, expected an array",
                other.describe()
            )),
        }
    }

    /// The string at `key` of an object (at `path`): `None` when absent or null and not
    /// `required`.
    pub(super) fn string(
        entries: &[(String, Value)],
        key: &str,
        path: &str,
        required: bool,
    ) -> Result<Option<String>, String> {
        match get(entries, key) {
            Some(Value::String(s)) => Ok(Some(s.clone())),
            None | Some(Value::Null) if !required => Ok(None),
            None => Err(format!("{path}: missing field `{key}`")),
            Some(other) => Err(format!(
                "{path}.{key}: invalid type: {}, expected a string",
                other.describe()
            )),
        }
    }

    /// Appends `s` as a JSON string, escaped as `serde_json` does.
    pub(super) fn write_string(out: &mut String, s: &str) {
        out.push('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                c if (c as u32) < 0x20 => {
                    let _ = write!(out, "\\u{:04x}", c as u32);
                }
                c => out.push(c),
            }
        }
        out.push('"');
    }

    /// Parses `text` as one JSON value (white space around it allowed).
    pub(super) fn parse(text: &str) -> Result<Value, String> {
        let mut p = Parser {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            depth: 0,
        };
        p.skip_ws();
        let value = p.value()?;
        p.skip_ws();
        if p.pos < p.bytes.len() {
            return Err(p.error("trailing characters"));
        }
        Ok(value)
    }

    struct Parser<'a> {
        text: &'a str,
        bytes: &'a [u8],
        pos: usize,
        depth: usize,
    }

    impl Parser<'_> {
        /// `what` at the current position ("… at line 2 column 5", 1-based, in characters).
        fn error(&self, what: &str) -> String {
            let mut at = self.pos.min(self.text.len());
            while !self.text.is_char_boundary(at) {
                at -= 1;
            }
            let before = &self.text[..at];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("{what} at line {line} column {column}")
        }

        fn peek(&self) -> Option<u8> {
            self.bytes.get(self.pos).copied()
        }

        fn skip_ws(&mut self) {
            while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
                self.pos += 1;
            }
        }

        fn value(&mut self) -> Result<Value, String> {
            match self.peek() {
                None => Err(self.error("EOF while parsing a value")),
                Some(b'{') => self.object(),
                Some(b'[') => self.array(),
                Some(b'"') => Ok(Value::String(self.string()?)),
                Some(b't') => self.literal("true", Value::Bool(true)),
                Some(b'f') => self.literal("false", Value::Bool(false)),
                Some(b'n') => self.literal("null", Value::Null),
                Some(b'-' | b'0'..=b'9') => self.number(),
                Some(_) => Err(self.error("expected value")),
            }
        }

        fn literal(&mut self, word: &str, value: Value) -> Result<Value, String> {
            if self.bytes[self.pos..].starts_with(word.as_bytes()) {
                self.pos += word.len();
                Ok(value)
            } else {
                Err(self.error("expected value"))
            }
        }

        /// Enters an array or object (at its opening bracket).
        fn enter(&mut self) -> Result<(), String> {
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return Err(self.error("recursion limit exceeded"));
            }
            self.pos += 1;
            self.skip_ws();
            Ok(())
        }

        fn array(&mut self) -> Result<Value, String> {
            self.enter()?;
            let mut items = Vec::new();
            if self.peek() == Some(b']') {
                self.pos += 1;
                self.depth -= 1;
                return Ok(Value::Array(items));
            }
            loop {
                items.push(self.value()?);
                self.skip_ws();
                match self.peek() {
                    Some(b',') => {
                        self.pos += 1;
                        self.skip_ws();
                        if self.peek() == Some(b']') {
                            return Err(self.error("trailing comma"));
                        }
                    }
                    Some(b']') => {
                        self.pos += 1;
                        break;
                    }
                    None => return Err(self.error("EOF while parsing a list")),
                    Some(_) => return Err(self.error("expected `,` or `]`")),
                }
            }
            self.depth -= 1;
            Ok(Value::Array(items))
        }

        fn object(&mut self) -> Result<Value, String> {
            self.enter()?;
            let mut entries = Vec::new();
            let mut keys = HashSet::new();
            if self.peek() == Some(b'}') {
                self.pos += 1;
                self.depth -= 1;
                return Ok(Value::Object(entries));
            }
            loop {
                match self.peek() {
                    Some(b'"') => {}
                    None => return Err(self.error("EOF while parsing an object")),
                    Some(_) => return Err(self.error("key must be a string")),
                }
                let key_at = self.pos;
                let key = self.string()?;
                if !keys.insert(key.clone()) {
                    self.pos = key_at;
                    return Err(self.error(&format!("duplicate key {key:?}")));
                }
                self.skip_ws();
                match self.peek() {
                    Some(b':') => self.pos += 1,
                    None => return Err(self.error("EOF while parsing an object")),
                    Some(_) => return Err(self.error("expected `:`")),
                }
                self.skip_ws();
                let value = self.value()?;
                entries.push((key, value));
                self.skip_ws();
                match self.peek() {
                    Some(b',') => {
                        self.pos += 1;
                        self.skip_ws();
                        if self.peek() == Some(b'}') {
                            return Err(self.error("trailing comma"));
                        }
                    }
                    Some(b'}') => {
                        self.pos += 1;
                        break;
                    }
                    None => return Err(self.error("EOF while parsing an object")),
                    Some(_) => return Err(self.error("expected `,` or `}`")),
                }
            }
            self.depth -= 1;
            Ok(Value::Object(entries))
        }

        /// A string, at its opening quote.
        fn string(&mut self) -> Result<String, String> {
            self.pos += 1;
            let mut out = String::new();
            let mut start = self.pos;
            loop {
                match self.peek() {
                    None => return Err(self.error("EOF while parsing a string")),
                    Some(b'"') => {
                        out.push_str(&self.text[start..self.pos]);
                        self.pos += 1;
                        return Ok(out);
                    }
                    Some(b'\\') => {
                        out.push_str(&self.text[start..self.pos]);
                        self.pos += 1;
                        let c = match self.peek() {
                            None => return Err(self.error("EOF while parsing a string")),
                            Some(b'u') => {
                                self.pos += 1;
                                self.unicode_escape()?
                            }
                            Some(e) => {
                                let c = match e {
                                    b'"' => '"',
                                    b'\\' => '\\',
                                    b'/' => '/',
                                    b'b' => '\u{8}',
                                    b'f' => '\u{c}',
                                    b'n' => '\n',
                                    b'r' => '\r',
                                    b't' => '\t',
                                    _ => return Err(self.error("invalid escape")),
                                };
                                self.pos += 1;
                                c
                            }
                        };
                        out.push(c);
                        start = self.pos;
                    }
                    Some(0..=0x1f) => {
                        return Err(self.error(
                            "control character (\\u0000-\\u001F) found while parsing a string",
                        ));
                    }
                    Some(_) => self.pos += 1,
                }
            }
        }

        /// The character of a `\u` escape, just after the `u` (a surrogate pair takes two).
        fn unicode_escape(&mut self) -> Result<char, String> {
            let first = self.hex4()?;
            let code = match first {
                0xD800..=0xDBFF => {
                    if !self.bytes[self.pos..].starts_with(b"\\u") {
                        return Err(self.error("lone leading surrogate in hex escape"));
                    }
                    self.pos += 2;
                    let second = self.hex4()?;
                    if !(0xDC00..=0xDFFF).contains(&second) {
                        return Err(self.error("lone leading surrogate in hex escape"));
                    }
                    0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                }
                0xDC00..=0xDFFF => return Err(self.error("lone trailing surrogate in hex escape")),
                c => c,
            };
            char::from_u32(code).ok_or_else(|| self.error("invalid unicode code point"))
        }

        /// Four hex digits.
        fn hex4(&mut self) -> Result<u32, String> {
            let bytes = self.bytes;
            let Some(digits) = bytes.get(self.pos..self.pos + 4) else {
                return Err(self.error("EOF while parsing a string"));
            };
            let mut code = 0;
            for (k, &d) in digits.iter().enumerate() {
                let Some(h) = char::from(d).to_digit(16) else {
                    self.pos += k;
                    return Err(self.error("invalid escape"));
                };
                code = code * 16 + h;
            }
            self.pos += 4;
            Ok(code)
        }

        fn digits(&mut self) -> usize {
            let start = self.pos;
            while let Some(b'0'..=b'9') = self.peek() {
                self.pos += 1;
            }
            self.pos - start
        }

        fn number(&mut self) -> Result<Value, String> {
            let start = self.pos;
            if self.peek() == Some(b'-') {
                self.pos += 1;
            }
            match self.peek() {
                Some(b'0') => self.pos += 1,
                Some(b'1'..=b'9') => {
                    self.digits();
                }
                _ => return Err(self.error("invalid number")),
            }
            if self.peek() == Some(b'.') {
                self.pos += 1;
                if self.digits() == 0 {
                    return Err(self.error("invalid number"));
                }
            }
            if let Some(b'e' | b'E') = self.peek() {
                self.pos += 1;
                if let Some(b'+' | b'-') = self.peek() {
                    self.pos += 1;
                }
                if self.digits() == 0 {
                    return Err(self.error("invalid number"));
                }
            }
            match self.text[start..self.pos].parse::<f64>() {
                Ok(x) if x.is_finite() => Ok(Value::Number(x)),
                _ => {
                    self.pos = start;
                    Err(self.error("number out of range"))
                }
            }
        }
    }
}
