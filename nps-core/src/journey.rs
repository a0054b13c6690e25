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

use std::collections::HashMap;

use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Deserialize, Serialize, Serializer};

use crate::group::GroupOptions;
use crate::interval::Estimate;
use crate::table::Table;
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
                Some(p) => Some(
                    *index
                        .get(p.as_str())
                        .ok_or_else(|| invalid(&node.id, format!("parent {p:?} does not exist")))?,
                ),
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
                        return Err(invalid(&nodes[i].id, format!("cycle: {}", ids.join(" → "))));
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
    /// text is read by `serde_json` (strict JSON, RFC 8259), whose message says what is wrong and
    /// where (e.g. "missing field \`id\` at line 1 column 29").
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
        let invalid = |message: String| Error::InvalidArgument {
            field: "journey",
            value: message,
            expected: JSON_EXPECTED,
        };
        let form: JsonForm = serde_json::from_str(text).map_err(|e| invalid(e.to_string()))?;
        let nodes = match (form.stages, form.nodes) {
            (Some(stages), None) => {
                let mut nodes = Vec::new();
                for stage in stages {
                    nodes.push(stage.node.into_node(NodeKind::Stage, None));
                    let stage_id = &nodes.last().expect("just pushed").id.clone();
                    for scene in stage.scenes {
                        nodes.push(scene.node.into_node(NodeKind::Scene, Some(stage_id)));
                        let scene_id = nodes.last().expect("just pushed").id.clone();
                        for touchpoint in scene.touchpoints {
                            nodes.push(touchpoint.into_node(NodeKind::Touchpoint, Some(&scene_id)));
                        }
                    }
                }
                nodes
            }
            (None, Some(flat)) => flat
                .into_iter()
                .map(|n| Node {
                    name: n.name.unwrap_or_else(|| n.id.clone()),
                    id: n.id,
                    kind: n.kind,
                    parent: n.parent,
                })
                .collect(),
            (Some(_), Some(_)) => {
                return Err(invalid(
                    "both `stages` and `nodes` given; a journey uses one form or the other".into(),
                ));
            }
            (None, None) => return Err(invalid("missing field `stages` (or `nodes`)".into())),
        };
        Journey::new(nodes)
    }

    /// The journey as compact JSON in the nested form
    /// `{"stages":[{"id":…,"name":…,"scenes":[{"id":…,"name":…,"touchpoints":[{"id":…,"name":…}]}]}]}`,
    /// every name written, children in tree order; [`Journey::from_json`] reads it back to an
    /// equal journey.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a journey serializes to JSON")
    }

    /// The nodes in tree order: a stage, each of its scenes followed by that scene's
    /// touchpoints, then the next stage.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The touchpoints (触点), in tree order.
    pub fn touchpoints(&self) -> impl Iterator<Item = &Node> {
        self.nodes.iter().filter(|n| n.kind == NodeKind::Touchpoint)
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

/// A journey as JSON: the nested form (`stages`) or the flat one (`nodes`).
#[derive(Deserialize)]
struct JsonForm {
    stages: Option<Vec<JsonStage>>,
    nodes: Option<Vec<JsonNode>>,
}

/// A node of the nested form: an id and an optional name (the id by default).
#[derive(Deserialize)]
struct JsonNamed {
    id: String,
    name: Option<String>,
}

impl JsonNamed {
    fn into_node(self, kind: NodeKind, parent: Option<&str>) -> Node {
        Node {
            name: self.name.unwrap_or_else(|| self.id.clone()),
            id: self.id,
            kind,
            parent: parent.map(str::to_owned),
        }
    }
}

#[derive(Deserialize)]
struct JsonStage {
    #[serde(flatten)]
    node: JsonNamed,
    #[serde(default)]
    scenes: Vec<JsonScene>,
}

#[derive(Deserialize)]
struct JsonScene {
    #[serde(flatten)]
    node: JsonNamed,
    #[serde(default)]
    touchpoints: Vec<JsonNamed>,
}

/// A node of the flat form, where any tree (or a cycle) can be written.
#[derive(Deserialize)]
struct JsonNode {
    id: String,
    name: Option<String>,
    kind: NodeKind,
    parent: Option<String>,
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
    // Every response must be at a touchpoint of the journey: name the first that is not.
    let codes = dimension.codes();
    let slot = |code: u32| {
        slot_of_level
            .get(code as usize) // NA (u32::MAX) is out of range
            .copied()
            .unwrap_or(u32::MAX)
    };
    if let Some(row) = codes.iter().position(|&c| slot(c) == u32::MAX) {
        return Err(Error::UnknownTouchpoint {
            index: row,
            touchpoint: dimension
                .value(row)
                .unwrap_or(MISSING_TOUCHPOINT)
                .to_owned(),
        });
    }
    let scale = table.scale();
    let mut by_slot = tally_groups(
        scale,
        table.score_codes(),
        table.weights(),
        node_of_slot.len(),
        |start, out| {
            for (k, &c) in out.iter_mut().zip(&codes[start..]) {
                *k = slot(c);
            }
        },
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Dimension;

    /// An insurer-like journey: 2 stages, 3 scenes, 5 touchpoints (one without a name).
    const INSURER: &str = r#"{"stages": [
        {"id": "buy", "name": "Buy", "scenes": [
            {"id": "buy.compare", "name": "Comparing offers", "touchpoints": [
                {"id": "buy.web_quote", "name": "Web quote"},
                {"id": "buy.agent_quote", "name": "Quote from an agent"}]},
            {"id": "buy.purchase", "name": "Taking out the policy", "touchpoints": [
                {"id": "buy.online_checkout", "name": "Online checkout"}]}]},
        {"id": "claim", "name": "Claim", "scenes": [
            {"id": "claim.report", "name": "Reporting a claim", "touchpoints": [
                {"id": "claim.first_notice_phone", "name": "First notice of loss by phone"},
                {"id": "claim.app_upload"}]}]}]}"#;

    /// The same journey in the flat form: children before their parents, levels interleaved,
    /// siblings (which keep the order given) in the nested order.
    const INSURER_FLAT: &str = r#"{"nodes": [
        {"id": "buy.web_quote", "name": "Web quote", "kind": "touchpoint", "parent": "buy.compare"},
        {"id": "claim.first_notice_phone", "name": "First notice of loss by phone", "kind": "touchpoint", "parent": "claim.report"},
        {"id": "buy.compare", "name": "Comparing offers", "kind": "scene", "parent": "buy"},
        {"id": "buy.online_checkout", "name": "Online checkout", "kind": "touchpoint", "parent": "buy.purchase"},
        {"id": "buy", "name": "Buy", "kind": "stage", "parent": null},
        {"id": "claim.report", "name": "Reporting a claim", "kind": "scene", "parent": "claim"},
        {"id": "buy.purchase", "name": "Taking out the policy", "kind": "scene", "parent": "buy"},
        {"id": "claim", "name": "Claim", "kind": "stage"},
        {"id": "buy.agent_quote", "name": "Quote from an agent", "kind": "touchpoint", "parent": "buy.compare"},
        {"id": "claim.app_upload", "kind": "touchpoint", "parent": "claim.report"}]}"#;

    const TREE_ORDER: [&str; 10] = [
        "buy",
        "buy.compare",
        "buy.web_quote",
        "buy.agent_quote",
        "buy.purchase",
        "buy.online_checkout",
        "claim",
        "claim.report",
        "claim.first_notice_phone",
        "claim.app_upload",
    ];

    fn insurer() -> Journey {
        Journey::from_json(INSURER).unwrap()
    }

    fn ids(rows: impl IntoIterator<Item = impl AsRef<str>>) -> Vec<String> {
        rows.into_iter().map(|s| s.as_ref().to_owned()).collect()
    }

    /// The (id, problem) of an invalid journey.
    fn journey_error(text: &str) -> (String, String) {
        match Journey::from_json(text).unwrap_err() {
            Error::InvalidJourney { id, problem } => (id, problem),
            other => panic!("expected InvalidJourney for {text}, got {other:?}"),
        }
    }

    /// The message of JSON that is not a journey.
    fn json_error(text: &str) -> String {
        match Journey::from_json(text).unwrap_err() {
            Error::InvalidArgument {
                field: "journey",
                value,
                expected,
            } => {
                assert_eq!(expected, JSON_EXPECTED);
                value
            }
            other => panic!("expected InvalidArgument for {text}, got {other:?}"),
        }
    }

    fn flat(nodes: &str) -> String {
        format!(r#"{{"nodes": [{nodes}]}}"#)
    }

    #[test]
    fn nested_and_flat_forms_give_the_same_journey() {
        let nested = insurer();
        let flat = Journey::from_json(INSURER_FLAT).unwrap();
        assert_eq!(flat, nested);
        assert_eq!(ids(nested.nodes().iter().map(|n| &n.id)), ids(TREE_ORDER));
        assert_eq!(nested.touchpoints().count(), 5);
        assert_eq!(nested.nodes().len(), 10);
        let app = nested.node("claim.app_upload").unwrap();
        assert_eq!(app.name, "claim.app_upload", "name defaults to the id");
        assert_eq!(app.kind, NodeKind::Touchpoint);
        assert_eq!(app.parent.as_deref(), Some("claim.report"));
        assert_eq!(nested.node("buy").unwrap().parent, None);
        assert!(nested.node("nope").is_none());

        // to_json: compact nested form, read back to the same journey; serde agrees.
        let text = nested.to_json();
        assert!(
            text.starts_with(
                r#"{"stages":[{"id":"buy","name":"Buy","scenes":[{"id":"buy.compare""#
            )
        );
        assert!(!text.contains('\n'));
        assert_eq!(Journey::from_json(&text).unwrap(), nested);
        assert_eq!(serde_json::to_string(&nested).unwrap(), text);
        assert_eq!(serde_json::to_string(&flat).unwrap(), text);
        // Journey::new on the nodes in tree order gives the journey back.
        assert_eq!(Journey::new(nested.nodes().to_vec()).unwrap(), nested);
        // Nodes serialize with the kind in snake case.
        let node = serde_json::to_string(nested.node("buy.compare").unwrap()).unwrap();
        assert_eq!(
            node,
            r#"{"id":"buy.compare","name":"Comparing offers","kind":"scene","parent":"buy"}"#
        );
    }

    #[test]
    fn children_keep_the_order_given_and_empty_branches_are_allowed() {
        let j = Journey::from_json(&flat(
            r#"{"id": "t2", "kind": "touchpoint", "parent": "s1"},
               {"id": "b", "kind": "stage"},
               {"id": "s2", "kind": "scene", "parent": "a"},
               {"id": "a", "kind": "stage"},
               {"id": "s1", "kind": "scene", "parent": "a"},
               {"id": "t1", "kind": "touchpoint", "parent": "s1"}"#,
        ))
        .unwrap();
        assert_eq!(
            ids(j.nodes().iter().map(|n| &n.id)),
            ids(["b", "a", "s2", "s1", "t2", "t1"])
        );
        // Nested: scenes and touchpoints may be left out.
        let j = Journey::from_json(
            r#"{"stages": [{"id": "a"}, {"id": "b", "scenes": [{"id": "s"}, {"id": "t", "touchpoints": [{"id": "x"}]}]}]}"#,
        )
        .unwrap();
        assert_eq!(
            ids(j.nodes().iter().map(|n| &n.id)),
            ids(["a", "b", "s", "t", "x"])
        );
        assert_eq!(
            j.to_json(),
            r#"{"stages":[{"id":"a","name":"a","scenes":[]},{"id":"b","name":"b","scenes":[{"id":"s","name":"s","touchpoints":[]},{"id":"t","name":"t","touchpoints":[{"id":"x","name":"x"}]}]}]}"#
        );
    }

    #[test]
    fn bad_journeys_are_invalid_and_name_the_node() {
        // Duplicate id, across levels (a touchpoint with its scene's id).
        let text = INSURER.replace(r#""id": "claim.app_upload""#, r#""id": "claim.report""#);
        let (id, problem) = journey_error(&text);
        assert_eq!(
            (id.as_str(), problem.as_str()),
            ("claim.report", "duplicate id")
        );
        let e = Journey::from_json(&text).unwrap_err().to_string();
        assert_eq!(e, r#"invalid journey at "claim.report": duplicate id"#);

        // Unknown parent.
        let (id, problem) = journey_error(
            &INSURER_FLAT.replace(r#""parent": "buy.purchase""#, r#""parent": "buy.purchse""#),
        );
        assert_eq!(id, "buy.online_checkout");
        assert_eq!(problem, r#"parent "buy.purchse" does not exist"#);

        // Wrong levels.
        let (id, problem) = journey_error(
            &INSURER_FLAT.replace(r#""parent": "buy.compare"}"#, r#""parent": "buy"}"#),
        );
        assert_eq!(id, "buy.web_quote");
        assert_eq!(
            problem,
            r#"the parent of a touchpoint must be a scene; "buy" is a stage"#
        );
        let (id, problem) = journey_error(&flat(
            r#"{"id": "a", "kind": "stage"}, {"id": "s", "kind": "scene", "parent": "a"},
               {"id": "s2", "kind": "scene", "parent": "s"},
               {"id": "t", "kind": "touchpoint", "parent": "s"}"#,
        ));
        assert_eq!(id, "s2");
        assert_eq!(
            problem,
            r#"the parent of a scene must be a stage; "s" is a scene"#
        );
        let (id, problem) = journey_error(&flat(
            r#"{"id": "s", "kind": "scene"}, {"id": "t", "kind": "touchpoint", "parent": "s"}"#,
        ));
        assert_eq!(id, "s");
        assert_eq!(
            problem,
            "the parent of a scene must be a stage; it has no parent"
        );
        let (id, problem) = journey_error(&flat(
            r#"{"id": "a", "kind": "stage"}, {"id": "b", "kind": "stage", "parent": "a"},
               {"id": "s", "kind": "scene", "parent": "a"},
               {"id": "t", "kind": "touchpoint", "parent": "s"}"#,
        ));
        assert_eq!(id, "b");
        assert!(problem.starts_with("a stage has no parent"), "{problem}");

        // A cycle a → b → a is reported as a cycle, although its levels are wrong too.
        let (id, problem) = journey_error(&flat(
            r#"{"id": "a", "kind": "scene", "parent": "b"},
               {"id": "b", "kind": "stage", "parent": "a"},
               {"id": "t", "kind": "touchpoint", "parent": "a"}"#,
        ));
        assert_eq!(id, "a");
        assert_eq!(problem, "cycle: a → b → a");
        // A longer cycle reached from outside it, and a node that is its own parent.
        let (id, problem) = journey_error(&flat(
            r#"{"id": "t", "kind": "touchpoint", "parent": "x"},
               {"id": "x", "kind": "scene", "parent": "y"},
               {"id": "y", "kind": "stage", "parent": "z"},
               {"id": "z", "kind": "stage", "parent": "x"}"#,
        ));
        assert_eq!(
            (id.as_str(), problem.as_str()),
            ("x", "cycle: x → y → z → x")
        );
        let (id, problem) =
            journey_error(&flat(r#"{"id": "me", "kind": "stage", "parent": "me"}"#));
        assert_eq!((id.as_str(), problem.as_str()), ("me", "cycle: me → me"));

        // Empty ids, named by position and name.
        let (id, problem) =
            journey_error(&INSURER.replace(r#""id": "buy.web_quote""#, r#""id": """#));
        assert_eq!(id, "");
        assert!(
            problem.starts_with("empty id (the touchpoint at position 2, named \"Web quote\")"),
            "{problem}"
        );
        let (id, _) = journey_error(&flat(r#"{"id": "  ", "kind": "stage"}"#));
        assert_eq!(id, "  ");

        // No touchpoint.
        let (id, problem) = journey_error(r#"{"stages": [{"id": "a", "scenes": [{"id": "s"}]}]}"#);
        assert_eq!(id, WHOLE_JOURNEY);
        assert!(
            problem.starts_with("the journey has no touchpoint (1 stage(s), 1 scene(s))"),
            "{problem}"
        );
        let (id, _) = journey_error(r#"{"stages": []}"#);
        assert_eq!(id, WHOLE_JOURNEY);
        assert!(matches!(
            Journey::new(Vec::new()).unwrap_err(),
            Error::InvalidJourney { .. }
        ));
    }

    #[test]
    fn malformed_json_is_an_invalid_argument() {
        let cases = [
            ("", "EOF while parsing a value at line 1 column 0"),
            ("{\"stages\": [}", "expected value at line 1 column 13"),
            ("{\"stage\": []}", "missing field `stages` (or `nodes`)"),
            (
                "{\"stages\": [], \"nodes\": []}",
                "both `stages` and `nodes` given; a journey uses one form or the other",
            ),
            ("{\"stages\": [{\"name\": \"Buy\"}]}", "missing field `id`"),
            (
                "{\"nodes\": [{\"id\": \"a\", \"kind\": \"stag\"}]}",
                "unknown variant `stag`",
            ),
            ("{\"nodes\": [{\"id\": \"a\"}]}", "missing field `kind`"),
            ("[1, 2]", "invalid type: integer `1`"),
        ];
        for (text, message) in cases {
            let got = json_error(text);
            assert!(got.starts_with(message), "{text}: {got}");
        }
        let e = Journey::from_json("nope").unwrap_err().to_string();
        assert!(
            e.starts_with("journey is expected ident at line 1 column 2; a JSON journey:"),
            "{e}"
        );
    }

    #[test]
    fn json_strings_round_trip_with_escapes() {
        let text = r#"{"stages": [{"id": "\u8d2d\u4e70", "name": "Buy \"now\"\n\t\\ / \ud83d\ude00 é",
            "scenes": [{"id": "s\u0001", "touchpoints": [{"id": "触点"}]}]}], "extra": [true, false, null, -1.5e2]}"#;
        let j = Journey::from_json(text).unwrap();
        assert_eq!(j.nodes()[0].id, "购买");
        assert_eq!(j.nodes()[0].name, "Buy \"now\"\n\t\\ / 😀 é");
        assert_eq!(j.nodes()[1].id, "s\u{1}");
        let out = j.to_json();
        assert_eq!(serde_json::to_string(&j).unwrap(), out);
        assert_eq!(Journey::from_json(&out).unwrap(), j);
    }

    /// Scores and touchpoints of a small transactional survey on the insurer journey (no
    /// response at "buy.online_checkout"; one unanswered score).
    fn survey() -> (Vec<f64>, Vec<Option<&'static str>>) {
        let rows: [(f64, &str); 14] = [
            (10.0, "buy.web_quote"),
            (9.0, "buy.web_quote"),
            (3.0, "buy.web_quote"),
            (8.0, "buy.agent_quote"),
            (10.0, "buy.agent_quote"),
            (f64::NAN, "buy.agent_quote"),
            (0.0, "claim.first_notice_phone"),
            (6.0, "claim.first_notice_phone"),
            (9.0, "claim.first_notice_phone"),
            (7.0, "claim.app_upload"),
            (10.0, "claim.app_upload"),
            (10.0, "claim.app_upload"),
            (5.0, "claim.app_upload"),
            (9.0, "buy.web_quote"),
        ];
        (
            rows.iter().map(|r| r.0).collect(),
            rows.iter().map(|r| Some(r.1)).collect(),
        )
    }

    fn survey_table() -> Table {
        let (scores, touchpoints) = survey();
        Table::new(&scores)
            .unwrap()
            .with_dimension(Dimension::from_values("touchpoint", &touchpoints))
            .unwrap()
    }

    fn row<'a>(rows: &'a [JourneyRow], id: &str) -> &'a JourneyRow {
        rows.iter().find(|r| r.id == id).unwrap()
    }

    #[test]
    fn roll_up_sums_tallies_up_the_tree() {
        let j = insurer();
        let table = survey_table();
        let rows = journey(&table, &j, "touchpoint", &GroupOptions::default()).unwrap();
        assert_eq!(ids(rows.iter().map(|r| &r.id)), ids(TREE_ORDER));
        for (r, n) in rows.iter().zip(j.nodes()) {
            assert_eq!((r.kind, &r.name, &r.parent), (n.kind, &n.name, &n.parent));
        }

        // Each touchpoint's tally is the tally of its rows.
        let (scores, touchpoints) = survey();
        for tp in j.touchpoints() {
            let own: Vec<f64> = scores
                .iter()
                .zip(&touchpoints)
                .filter(|(_, t)| **t == Some(tp.id.as_str()))
                .map(|(s, _)| *s)
                .collect();
            assert_eq!(
                row(&rows, &tp.id).tally,
                Tally::from_scores(&own).unwrap(),
                "{}",
                tp.id
            );
        }
        // Scene = sum of its touchpoints, stage = sum of its scenes.
        for r in &rows {
            let children: Vec<&JourneyRow> = rows
                .iter()
                .filter(|c| c.parent.as_deref() == Some(r.id.as_str()))
                .collect();
            if r.kind != NodeKind::Touchpoint {
                let sum = children
                    .iter()
                    .fold(Tally::default(), |acc, c| acc + c.tally.clone());
                assert_eq!(r.tally, sum, "{}", r.id);
            }
        }
        let buy = row(&rows, "buy");
        assert_eq!((buy.tally.n(), buy.tally.missing()), (6, 1));
        let compare = row(&rows, "buy.compare");
        assert_eq!(compare.tally, buy.tally, "buy.purchase has no response");
        // web quote 10 9 3 9, agent 8 10: 4 promoters, 1 detractor of 6.
        let e = buy.estimate.unwrap();
        assert!((e.nps - 50.0).abs() < 1e-12, "{}", e.nps);
        let claim = row(&rows, "claim").estimate.unwrap();
        // 0 6 9 7 10 10 5: 3 promoters, 3 detractors of 7.
        assert!(claim.nps.abs() < 1e-12);
        let total: Tally = rows
            .iter()
            .filter(|r| r.kind == NodeKind::Stage)
            .map(|r| &r.tally)
            .sum();
        assert_eq!(total, table.tally());

        // Shares sum to 1 over the touchpoints, the scenes and the stages.
        for kind in [NodeKind::Touchpoint, NodeKind::Scene, NodeKind::Stage] {
            let s: f64 = rows
                .iter()
                .filter(|r| r.kind == kind)
                .map(|r| r.share)
                .sum();
            assert!((s - 1.0).abs() < 1e-12, "{kind:?}: {s}");
        }
        assert!((row(&rows, "buy").share - 6.0 / 13.0).abs() < 1e-12);
        assert!((row(&rows, "claim.app_upload").share - 4.0 / 13.0).abs() < 1e-12);

        // A touchpoint without responses: n = 0, no estimate, small, share 0; so is its scene.
        for id in ["buy.online_checkout", "buy.purchase"] {
            let r = row(&rows, id);
            assert_eq!(r.tally.n(), 0);
            assert_eq!(r.estimate, None);
            assert!(r.small);
            assert_eq!(r.share, 0.0);
        }
        assert!(
            rows.iter().all(|r| r.small),
            "every node has fewer than 30 answers"
        );
        let options = GroupOptions {
            min_n: 0,
            ..GroupOptions::default()
        };
        let rows = journey(&table, &j, "touchpoint", &options).unwrap();
        assert!(
            row(&rows, "buy.online_checkout").small,
            "no answer is always small"
        );
        assert!(!row(&rows, "buy").small);
        let json = serde_json::to_string(&rows).unwrap();
        assert!(json.contains(r#""kind":"touchpoint""#));
        let back = serde_json::from_str::<Vec<JourneyRow>>(&json).unwrap();
        for (b, r) in back.iter().zip(&rows) {
            assert_eq!(
                (&b.id, b.kind, &b.tally, b.small),
                (&r.id, r.kind, &r.tally, r.small)
            );
            assert!((b.share - r.share).abs() < 1e-12);
        }
    }

    #[test]
    fn weighted_roll_up_merges_weight_sums() {
        let j = insurer();
        let (scores, touchpoints) = survey();
        let weights: Vec<f64> = (0..scores.len()).map(|i| 0.5 + (i % 3) as f64).collect();
        let table = Table::new(&scores)
            .unwrap()
            .with_weights(weights.clone())
            .unwrap()
            .with_dimension(Dimension::from_values("touchpoint", &touchpoints))
            .unwrap();
        let rows = journey(&table, &j, "touchpoint", &GroupOptions::default()).unwrap();
        let claim: (Vec<f64>, Vec<f64>) = scores
            .iter()
            .zip(&weights)
            .zip(&touchpoints)
            .filter(|(_, t)| t.unwrap().starts_with("claim."))
            .map(|((s, w), _)| (*s, *w))
            .unzip();
        let direct = Tally::from_weighted(&claim.0, &claim.1).unwrap();
        let got = &row(&rows, "claim").tally;
        assert_eq!(got.counts(), direct.counts());
        let (a, b) = (got.weight_sums(), direct.weight_sums());
        for c in 0..3 {
            assert!((a.sum_w[c] - b.sum_w[c]).abs() < 1e-12);
            assert!((a.sum_w2[c] - b.sum_w2[c]).abs() < 1e-12);
        }
        let e = row(&rows, "claim").estimate.unwrap();
        assert!(e.weighted);
        assert!((e.nps - direct.nps().unwrap()).abs() < 1e-9);
        assert!(row(&rows, "buy.online_checkout").estimate.is_none());
    }

    #[test]
    fn responses_outside_the_journey_are_errors() {
        let j = insurer();
        let (scores, mut touchpoints) = survey();
        touchpoints[4] = Some("buy.phone_quote");
        touchpoints[9] = Some("claim.teleport");
        let table = Table::new(&scores)
            .unwrap()
            .with_dimension(Dimension::from_values("touchpoint", &touchpoints))
            .unwrap();
        let e = journey(&table, &j, "touchpoint", &GroupOptions::default()).unwrap_err();
        assert_eq!(
            e,
            Error::UnknownTouchpoint {
                index: 4,
                touchpoint: "buy.phone_quote".into()
            }
        );
        assert_eq!(
            e.to_string(),
            r#"response at index 4 has touchpoint "buy.phone_quote", which is not in the journey"#
        );

        // A scene's id is not a touchpoint; a missing value is "(missing)".
        let (scores, mut touchpoints) = survey();
        touchpoints[7] = None;
        touchpoints[11] = Some("claim.report");
        let table = Table::new(&scores)
            .unwrap()
            .with_dimension(Dimension::from_values("touchpoint", &touchpoints))
            .unwrap();
        let e = journey(&table, &j, "touchpoint", &GroupOptions::default()).unwrap_err();
        assert_eq!(
            e,
            Error::UnknownTouchpoint {
                index: 7,
                touchpoint: "(missing)".into()
            }
        );
        let (scores, mut touchpoints) = survey();
        touchpoints[11] = Some("claim.report");
        let table = Table::new(&scores)
            .unwrap()
            .with_dimension(Dimension::from_values("touchpoint", &touchpoints))
            .unwrap();
        let e = journey(&table, &j, "touchpoint", &GroupOptions::default()).unwrap_err();
        assert!(
            matches!(e, Error::UnknownTouchpoint { index: 11, ref touchpoint } if touchpoint == "claim.report"),
            "{e}"
        );

        // A level no row uses does not matter.
        let (scores, touchpoints) = survey();
        let mut levels: Vec<String> = j.touchpoints().map(|n| n.id.clone()).collect();
        levels.push("retired.touchpoint".into());
        let codes = touchpoints
            .iter()
            .map(|t| levels.iter().position(|l| Some(l.as_str()) == *t).unwrap() as u32)
            .collect();
        let table = Table::new(&scores)
            .unwrap()
            .with_dimension(Dimension::new("touchpoint", levels, codes).unwrap())
            .unwrap();
        let rows = journey(&table, &j, "touchpoint", &GroupOptions::default()).unwrap();
        assert_eq!(
            rows,
            journey(&survey_table(), &j, "touchpoint", &GroupOptions::default()).unwrap()
        );

        // Unknown dimension, bad options.
        let table = survey_table();
        let e = journey(&table, &j, "touchpiont", &GroupOptions::default()).unwrap_err();
        assert!(matches!(e, Error::UnknownColumn { .. }), "{e}");
        let bad = GroupOptions {
            level: 0.0,
            ..GroupOptions::default()
        };
        assert!(matches!(
            journey(&table, &j, "touchpoint", &bad).unwrap_err(),
            Error::InvalidLevel(_)
        ));
    }

    #[test]
    fn an_empty_table_gives_zero_shares() {
        let j = insurer();
        let table = Table::new::<u8>(&[])
            .unwrap()
            .with_dimension(Dimension::from_values::<&str>("touchpoint", &[]))
            .unwrap();
        let rows = journey(&table, &j, "touchpoint", &GroupOptions::default()).unwrap();
        assert_eq!(rows.len(), 10);
        assert!(
            rows.iter()
                .all(|r| r.tally.n() == 0 && r.estimate.is_none() && r.small && r.share == 0.0)
        );
    }
}
