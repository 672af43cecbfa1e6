//! Dependencies: the graph of which defs, judgments and criteria read
//! which, checked for cycles (criterion cycles, def cycles, reads of what
//! only placement knows) and for chains that nest too deep.

use super::{err, Checker, Node};
use crate::diag::Code;
use crate::syntax::ast::Span;
use std::collections::{HashMap, HashSet};

/// Each def, judgment and criterion: what it reads, where it is declared,
/// and how a message names it (`def \`x\``).
pub(super) type Graph = HashMap<Node, (HashSet<Node>, Span, String)>;

impl Checker {
    /// The checks on the whole graph; the depth of chains only when there
    /// is no cycle (the walk assumes none).
    pub(super) fn dependencies(&mut self, graph: &Graph) {
        let before_cycles = self.diags.len();
        self.cycles(graph);
        self.placement_reads(graph);
        if self.diags.len() == before_cycles {
            self.chain_depth(graph);
        }
    }

    fn cycles(&mut self, graph: &Graph) {
        // iterative DFS with colours; report each cycle once
        let mut colour: HashMap<Node, u8> = HashMap::new();
        let mut nodes: Vec<&Node> = graph.keys().collect();
        nodes.sort_by_key(|n| graph[n].1.start);
        nodes.sort_by_key(|n| graph[n].1.file);
        for &start in &nodes {
            if colour.get(start).copied().unwrap_or(0) != 0 {
                continue;
            }
            let mut stack: Vec<(Node, Vec<Node>)> = vec![(*start, deps_sorted(graph, start))];
            let mut path: Vec<Node> = vec![*start];
            colour.insert(*start, 1);
            while let Some((_, todo)) = stack.last_mut() {
                match todo.pop() {
                    Some(next) => match colour.get(&next).copied().unwrap_or(0) {
                        0 => {
                            colour.insert(next, 1);
                            path.push(next);
                            stack.push((next, deps_sorted(graph, &next)));
                        }
                        1 => {
                            let from = path.iter().position(|n| *n == next).unwrap_or(0);
                            let names: Vec<String> = path[from..]
                                .iter()
                                .chain(std::iter::once(&next))
                                .map(|n| graph.get(n).map(|g| g.2.clone()).unwrap_or_default())
                                .collect();
                            let is_criteria =
                                path[from..].iter().all(|n| matches!(n, Node::Criterion(_)));
                            let code = if is_criteria {
                                Code::CriterionCycle
                            } else {
                                Code::DefCycle
                            };
                            let span = graph.get(&next).map(|g| g.1).unwrap_or_default();
                            let mut d = err(code, format!("cycle: {}", names.join(" -> ")), span)
                                .help("an outcome cannot depend on itself; break the chain");
                            // the other members of the cycle, where each is declared
                            for n in &path[from + 1..] {
                                if let Some((_, at, name)) = graph.get(n) {
                                    d = d.label(*at, format!("{name}, in the cycle"));
                                }
                            }
                            self.diags.push(d);
                        }
                        _ => {}
                    },
                    None => {
                        if let Some((n, _)) = stack.pop() {
                            colour.insert(n, 2);
                            path.pop();
                        }
                    }
                }
            }
        }
    }

    /// Criteria and judgments are decided before placement: one that reads
    /// `criteria`, `tier` or `levers` through a def depends on every
    /// criterion (itself included), a cycle the evaluator could only answer
    /// with "cannot be decided". Refused here, with the chain of defs.
    fn placement_reads(&mut self, graph: &Graph) {
        let mut starts: Vec<&Node> = graph
            .keys()
            .filter(|n| matches!(n, Node::Criterion(_) | Node::Judgment(_)))
            .collect();
        starts.sort_by_key(|n| (graph[n].1.file, graph[n].1.start));
        for start in starts {
            // breadth-first through the defs it reads, keeping the way back
            let mut back: HashMap<Node, Node> = HashMap::new();
            let mut queue = std::collections::VecDeque::from([*start]);
            let mut found = None;
            while let Some(n) = queue.pop_front() {
                if let Node::Def(i) = n {
                    if let Some(r) = self.def_placement.get(&i) {
                        found = Some((n, r.clone()));
                        break;
                    }
                }
                for d in deps_sorted(graph, &n).into_iter().rev() {
                    if matches!(d, Node::Def(_)) && d != *start && !back.contains_key(&d) {
                        back.insert(d, n);
                        queue.push_back(d);
                    }
                }
            }
            let Some((mut at, (name, _))) = found else {
                continue;
            };
            let mut chain = vec![graph[&at].2.clone()];
            while let Some(prev) = back.get(&at) {
                chain.push(graph[prev].2.clone());
                at = *prev;
                if at == *start {
                    break;
                }
            }
            chain.reverse();
            let code = match start {
                Node::Criterion(_) => Code::CriterionCycle,
                _ => Code::DefCycle,
            };
            let what = match name.as_str() {
                "criteria" => "every criterion's outcome, this one's included",
                "tier" => "the tier, which rests on every criterion",
                _ => "the levers and the criteria they fix",
            };
            self.diags.push(
                err(
                    code,
                    format!("cycle: {} -> `{name}` ({what})", chain.join(" -> ")),
                    graph[start].1,
                )
                .help(format!(
                    "`{name}` is known only once placement runs: read it in placement, rationale or warn, not in a criterion or judgment"
                )),
            );
        }
    }

    /// Defs, judgments and criteria that read one another nest their
    /// expressions: the longest such chain, each body counted as deep as it
    /// nests, stays within [`crate::syntax::parse::MAX_EXPR_DEPTH`], so evaluating
    /// and analysing the pack cannot exhaust the stack (a chain of 5,000
    /// defs each reading the next is refused here).
    fn chain_depth(&mut self, graph: &Graph) {
        let limit = crate::syntax::parse::MAX_EXPR_DEPTH;
        let mut total: HashMap<Node, (usize, Option<Node>)> = HashMap::new();
        let mut nodes: Vec<&Node> = graph.keys().collect();
        nodes.sort_by_key(|n| (graph[n].1.file, graph[n].1.start));
        for &start in &nodes {
            // post-order without recursion (the graph has no cycles here)
            let mut stack = vec![(*start, false)];
            while let Some((n, expanded)) = stack.pop() {
                if total.contains_key(&n) {
                    continue;
                }
                let deps = deps_sorted(graph, &n);
                if !expanded {
                    stack.push((n, true));
                    stack.extend(
                        deps.iter()
                            .filter(|d| !total.contains_key(d))
                            .map(|d| (*d, false)),
                    );
                    continue;
                }
                let own = self.body_depth.get(&n).copied().unwrap_or(1);
                let below = deps
                    .iter()
                    .filter_map(|d| total.get(d).map(|(w, _)| (*w, *d)))
                    .max_by_key(|(w, _)| *w);
                total.insert(
                    n,
                    (
                        own + below.map(|(w, _)| w).unwrap_or(0),
                        below.map(|(_, d)| d),
                    ),
                );
            }
        }
        let worst = nodes
            .iter()
            .filter_map(|n| total.get(n).map(|(w, _)| (*w, **n)))
            .filter(|(w, _)| *w > limit)
            .max_by_key(|(w, _)| *w);
        if let Some((w, n)) = worst {
            let mut chain = vec![graph[&n].2.clone()];
            let mut at = n;
            while let Some((_, Some(next))) = total.get(&at) {
                chain.push(graph[next].2.clone());
                at = *next;
                if chain.len() > 6 {
                    chain.push("...".into());
                    break;
                }
            }
            self.diags.push(
                err(
                    Code::NestingTooDeep,
                    format!(
                        "{} reads defs, judgments or criteria that together nest {w} operations deep (more than {limit}): {}",
                        graph[&n].2,
                        chain.join(" -> ")
                    ),
                    graph[&n].1,
                )
                .help("shorten the chain of defs that read one another, or split long expressions"),
            );
        }
    }
}

fn deps_sorted(graph: &Graph, n: &Node) -> Vec<Node> {
    let mut v: Vec<Node> = graph
        .get(n)
        .map(|g| {
            g.0.iter()
                .copied()
                .filter(|d| graph.contains_key(d))
                .collect()
        })
        .unwrap_or_default();
    v.sort_by_key(|d| std::cmp::Reverse(graph[d].1.start));
    v
}
