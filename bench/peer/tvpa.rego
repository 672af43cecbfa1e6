# The peer encoding for the benchmark (bench/benches/peer.rs): the same
# logic as rules/tvpa for
#   - penalty.sufficiently_stringent and penalty.commensurate
#     (30-penalty.rules, with covers_sex / is_trafficking from 20-law.rules
#     and the dated parameters of 10-params.rules), and
#   - the placement procedure (70-placement.rules), with the judgments of
#     60-judgments.rules taken from the reviewer's findings.
# It must follow the rules: tests/peer.rs compares the two on every shipped
# case and 300 synthetic countries in the test suite.
#
# Input: the facts as JSON with the schema's field names
# (`tiers::facts::to_json`): every declared field is present, `null` when
# not known. Output: `data.tvpa.result`.
#
# Unknown is a value here, as in tiers: every helper is total and returns
# true, false, a number, a text or null (= unknown), never undefined, and
# follows the rule language's Kleene logic exactly (docs/language.md and
# engine/src/eval.rs):
#   - `and`/`or`/`not`: Kleene; `=`, `<`, `+` ...: null if a side is null;
#   - `any`: true if one element is, else null if one is unknown;
#     `count`: null if any element is unknown; `min`: null if a filter is
#     unknown, a kept value is not a number, or nothing is kept;
#   - a rule body: the first branch whose condition holds decides, unless an
#     earlier condition was unknown and its branch gives another result
#     (then unknown); a placement step that is unknown is passed over.
#
# Judgments: `special_case` and `victims_significant_without_proportional_action`
# derive to false without a finding (their only branch is `otherwise =>
# false`), and `written_plan_with_resources` to true when a national action
# plan is in force or a draft plan awaits approval, else unknown, so they
# are encoded in full.
# `fully_meets`, `significant_efforts` and `increasing_efforts` are taken
# from the findings only: `supported` is false when one of them is not
# given, and the benchmark compares tiers only on supported inputs.
package tvpa

# ---- three-valued helpers (null = unknown) ------------------------------

get(o, k) := v if {
	is_object(o)
	v := o[k]
} else := null

and3(a, b) := false if {
	a == false
} else := false if {
	b == false
} else := true if {
	a == true
	b == true
} else := null

or3(a, b) := true if {
	a == true
} else := true if {
	b == true
} else := false if {
	a == false
	b == false
} else := null

not3(a) := false if {
	a == true
} else := true if {
	a == false
} else := null

# `x = y`: unknown if a side is unknown; values of different kinds differ.
eq3(a, b) := null if {
	a == null
} else := null if {
	b == null
} else := true if {
	a == b
} else := false

lt3(a, b) := true if {
	is_number(a)
	is_number(b)
	a < b
} else := false if {
	is_number(a)
	is_number(b)
} else := null

gt3(a, b) := lt3(b, a)

ge3(a, b) := true if {
	is_number(a)
	is_number(b)
	a >= b
} else := false if {
	is_number(a)
	is_number(b)
} else := null

le3(a, b) := ge3(b, a)

add3(a, b) := s if {
	is_number(a)
	is_number(b)
	s := a + b
} else := null

sub3(a, b) := s if {
	is_number(a)
	is_number(b)
	s := a - b
} else := null

# `a ?? b`
coalesce(a, b) := b if {
	a == null
} else := a

known(x) := false if {
	x == null
} else := true

# `x in list`: unknown if either is unknown; an unknown element matches nothing.
in3(x, l) := null if {
	x == null
} else := null if {
	not is_array(l)
} else := true if {
	some y in l
	y == x
} else := false

# Quantifiers over the truth values of a list's elements (null: the list is
# not known).
any3(ts) := null if {
	not is_array(ts)
} else := true if {
	some t in ts
	t == true
} else := null if {
	some t in ts
	not is_boolean(t)
} else := false

all3(ts) := null if {
	not is_array(ts)
} else := false if {
	some t in ts
	t == false
} else := null if {
	some t in ts
	not is_boolean(t)
} else := true

count3(ts) := null if {
	not is_array(ts)
} else := null if {
	some t in ts
	not is_boolean(t)
} else := n if {
	n := count([1 | some t in ts; t == true])
}

# `min VALUE for x in LIST where FILTER`, given the filters and values of
# the elements (null filters: the list is not known).
min3(fs, vs) := null if {
	not is_array(fs)
} else := null if {
	some f in fs
	not is_boolean(f)
} else := null if {
	some i, f in fs
	f == true
	not is_number(vs[i])
} else := m if {
	xs := [vs[i] | some i, f in fs; f == true]
	count(xs) > 0
	m := min(xs)
} else := null

# A rule body: conditions and results of its branches, in order.
# kind: "yes" (a branch decided), "unknown" (a condition was unknown and it
# matters), "no" (no branch applied).
first_true(cs) := i if {
	idx := [j | some j, c in cs; c == true]
	count(idx) > 0
	i := min(idx)
} else := -1

earlier_differs(cs, rs, i) if {
	some j, c in cs
	j < i
	not is_boolean(c)
	rs[j] != rs[i]
}

body(cs, rs) := {"kind": "yes", "result": r} if {
	i := first_true(cs)
	i >= 0
	not earlier_differs(cs, rs, i)
	r := rs[i]
} else := {"kind": "unknown", "result": null} if {
	first_true(cs) >= 0
} else := {"kind": "unknown", "result": null} if {
	some c in cs
	not is_boolean(c)
} else := {"kind": "no", "result": null}

outcome(b) := r if {
	b.kind == "yes"
	r := b.result
} else := "unknown"

# ---- dated parameters (10-params.rules) -----------------------------------

year := input.year

stringent_min_max_years := 4 if year >= 2001 else := null

max_wl_waivers := 1 if {
	year >= 2019
} else := 2 if {
	year >= 2009
} else := null

wl_years_without_waiver := 2 if year >= 2009 else := null

post_waiver_limit := true if {
	year >= 2019
} else := false if {
	year >= 2001
} else := null

policy_or_pattern_proof := true if {
	year >= 2019
} else := false if {
	year >= 2001
} else := null

stringent_floor_years := 1 if year >= 2001 else := null

# ---- the law and its penalties (20-law.rules, 30-penalty.rules) -----------

law := get(input, "law")

provisions := get(law, "provisions")

# `if c then a else b` for a known c
ite(c, a, b) := a if c == true else := b

# What the criteria read of one provision, computed once per provision.
# (tiers evaluates `is_trafficking(p)` and the others again in every
# quantifier; here each is computed once, which only favours regorus.)
# A null element reads as a record whose fields are all unknown. The input
# gives every declared field (`tiers::facts::to_json`), so `q.kind` is
# defined (maybe null) on a record.
unknown_provision := {"kind": null, "covers": null, "life": null, "max_years": null, "min_years": null, "fine": null}

record(x, unknown) := x if is_object(x) else := unknown

provision(p) := r if {
	q := record(p, unknown_provision)
	covers := q.covers
	life := coalesce(q.life, false)
	max_years := q.max_years
	min_years := q.min_years

	# def is_trafficking(p) = (p.kind ?? "trafficking") = "trafficking"
	trafficking := eq3(coalesce(q.kind, "trafficking"), "trafficking")

	# def covers_sex(p) = "adult_sex" in p.covers or "child_sex" in p.covers
	sex := and3(trafficking, or3(in3("adult_sex", covers), in3("child_sex", covers)))

	# def minimum_only(p) = known(p.min_years) and not known(p.max_years) and not (p.life ?? false)
	minimum_only := and3(and3(known(min_years), not3(known(max_years))), not3(life))

	# def adequate(p) = (p.life ?? false) or (known(p.max_years) and p.max_years >= stringent_min_max_years)
	#   or (minimum_only(p) and p.min_years > stringent_floor_years)
	adequate := or3(
		or3(life, and3(known(max_years), ge3(max_years, stringent_min_max_years))),
		and3(minimum_only, gt3(min_years, stringent_floor_years)),
	)

	# def inadequate(p) = not (p.life ?? false) and ((known(p.max_years) and p.max_years < stringent_min_max_years)
	#   or (minimum_only(p) and p.min_years <= stringent_floor_years))
	inadequate := and3(not3(life), or3(
		and3(known(max_years), lt3(max_years, stringent_min_max_years)),
		and3(minimum_only, le3(min_years, stringent_floor_years)),
	))
	r := {
		"trafficking": trafficking,
		# sex_provision(p) = is_trafficking(p) and covers_sex(p)
		"sex": sex,
		# def term(p) = if p.life ?? false then 1000 else p.max_years
		"term": ite(life, 1000, max_years),
		# def term_floor(p) = if p.life ?? false then 1000 else p.max_years ?? p.min_years
		"floor": ite(life, 1000, coalesce(max_years, min_years)),
		"trafficking_inadequate": and3(trafficking, inadequate),
		# not is_trafficking(p) or adequate(p)
		"untrafficking_or_adequate": or3(not3(trafficking), adequate),
		"sex_alternative": and3(sex, eq3(q.fine, "alternative")),
		"sex_inadequate": and3(sex, inadequate),
		# not sex_provision(p) or adequate(p)
		"unsex_or_adequate": or3(not3(sex), adequate),
	}
}

# per provision, in order; null when the list is not known
provs := [provision(p) | some p in provisions] if is_array(provisions) else := null

# the values of one field over the provisions (null: list not known)
column(k) := [x[k] | some x in provs] if is_array(provs) else := null

sufficiently_stringent := outcome(body(
	[
		eq3(count3(column("trafficking")), 0),
		any3(column("trafficking_inadequate")),
		all3(column("untrafficking_or_adequate")),
		true,
	],
	["not_met", "not_met", "met", "unknown"],
))

# The comparison crime: rape where the facts give its penalty, else kidnapping.
unknown_penalty := {"min_years": null, "max_years": null, "life": null, "fine": null}

penalty_known(x) := or3(or3(coalesce(x.life, false), known(x.max_years)), known(x.min_years))

penalty_floor(x) := ite(coalesce(x.life, false), 1000, coalesce(x.max_years, x.min_years))

rape := record(get(law, "rape_penalty"), unknown_penalty)

kidnapping := record(get(law, "kidnapping_penalty"), unknown_penalty)

cmp := rape if penalty_known(rape) == true else := kidnapping if penalty_known(kidnapping) == true else := null

cmp_known := cmp != null

cmp_term := penalty_floor(cmp) if cmp_known else := null

cmp_allows_fine := eq3(cmp.fine, "alternative") if cmp_known else := null

sex_floor := min3(column("sex"), column("floor"))

sex_max := min3(column("sex"), column("term"))

# `any p in (law.provisions ?? []) where sex_provision(p)`
any_sex_provision := any3(column("sex")) if is_array(provs) else := false

commensurate := outcome(body(
	[
		and3(eq3(get(law, "prohibits_sex_trafficking"), false), not3(any_sex_provision)),
		eq3(count3(column("sex")), 0),
		and3(any3(column("sex_alternative")), not3(coalesce(cmp_allows_fine, false))),
		and3(known(cmp_term), ge3(sex_floor, cmp_term)),
		and3(known(cmp_term), lt3(sex_max, cmp_term)),
		and3(not3(cmp_known), all3(column("unsex_or_adequate"))),
		and3(not3(cmp_known), any3(column("sex_inadequate"))),
		true,
	],
	["not_met", "not_met", "not_met", "met", "not_met", "met", "not_met", "unknown"],
))

# ---- judgments (60-judgments.rules) ----------------------------------------

findings := get(input, "findings")

special_case := coalesce(get(findings, "special_case"), false)

victims_significant := coalesce(get(findings, "victims_significant_without_proportional_action"), false)

# found, else `when prevention.national_action_plan = true => true`,
# `when prevention.draft_action_plan = true => true`, `otherwise => null`:
# true or unknown
written_plan := w if {
	w := get(findings, "written_plan_with_resources")
	w != null
} else := true if {
	get(get(input, "prevention"), "national_action_plan") == true
} else := true if {
	get(get(input, "prevention"), "draft_action_plan") == true
} else := null

fully_meets := get(findings, "fully_meets")

significant_efforts := get(findings, "significant_efforts")

increasing_efforts := get(findings, "increasing_efforts")

supported := true if {
	fully_meets != null
	significant_efforts != null
	increasing_efforts != null
} else := false

# ---- the Watch List clock (70-placement.rules defs) ------------------------

history := get(input, "history")

# What the clock reads of one history entry, computed once per entry.
unknown_entry := {"year": null, "tier": null, "waiver": null}

entry(h) := r if {
	e := record(h, unknown_entry)
	r := {
		"year": e.year,
		"tier": e.tier,
		"wl": eq3(e.tier, "2WL"),
		"three": eq3(e.tier, "3"),
		"waived": coalesce(e.waiver, false),
	}
}

entries := [entry(h) | some h in history] if is_array(history) else := null

# def previous_tier = first h.tier for h in history where h.year = year - 1
previous_tier := t if {
	is_array(entries)
	hits := [e.tier | some e in entries; e.year == year - 1]
	count(hits) > 0
	t := hits[0]
} else := null

# `streak h in history where h.tier = "2WL"`: consecutive years before the
# edition (year-1, year-2, ...) with a Watch List entry. A year without one
# ends the streak; one whose entries are unknown makes it unknown.
streak_has(k) if {
	some e in entries
	e.year == year - k
	e.wl == true
}

streak_unknown(k) if {
	some e in entries
	e.year == year - k
	not is_boolean(e.wl)
}

wl_run := n if {
	is_array(entries)
	is_number(year)
	ends := [k | some k in numbers.range(1, count(entries) + 1); not streak_has(k)]
	k0 := min(ends)
	not streak_unknown(k0)
	n := k0 - 1
} else := null

# def waivers_in_run = count h in history where h.tier = "2WL" and (h.waiver ?? false) and h.year >= year - wl_run
waivers_in_run := count3([and3(and3(e.wl, e.waived), ge3(e.year, sub3(year, wl_run))) | some e in entries]) if is_array(entries) else := null

# Watch List years after a waiver that was followed by a downgrade to Tier 3:
# count h in history where h.tier = "2WL" and (any w in history where
#   (w.waiver ?? false) and (any g in history where g.tier = "3"
#   and g.year > w.year and h.year > g.year))
# `a and b` is written with `else` where b is costly, so that b is not
# evaluated when a is false (tiers does not evaluate it either).
downgraded_after(h, w) := any3([and3(and3(g.three, gt3(g.year, w.year)), gt3(h.year, g.year)) | some g in entries])

waiver_then_downgrade(h, w) := false if {
	w.waived == false
} else := and3(w.waived, downgraded_after(h, w))

wl_after_waiver_downgrade(h) := false if {
	h.wl == false
} else := and3(h.wl, any3([waiver_then_downgrade(h, w) | some w in entries]))

wl_years_after_waiver_downgrade := count3([wl_after_waiver_downgrade(h) | some h in entries]) if is_array(entries) else := null

# ---- placement (70-placement.rules) ---------------------------------------

state := get(input, "state")

enforcement := get(input, "enforcement")

step_special_case := body([eq3(special_case, true)], ["special"])

step_policy_or_pattern := body(
	[and3(policy_or_pattern_proof, coalesce(get(state, "policy_or_pattern"), false))],
	["3"],
)

# fully_meets = true and (enforcement.data_provided ?? known(findings.fully_meets))
step_fully_meets := body(
	[
		and3(not3(known(fully_meets)), and3(known(previous_tier), eq3(previous_tier, "1"))),
		and3(eq3(fully_meets, true), coalesce(get(enforcement, "data_provided"), known(get(findings, "fully_meets")))),
	],
	[null, "1"],
)

step_significant_efforts := body(
	[
		not3(known(significant_efforts)),
		eq3(significant_efforts, false),
		eq3(victims_significant, true),
		not3(known(increasing_efforts)),
		eq3(increasing_efforts, false),
		true,
	],
	[null, "3", "2WL", null, "2WL", "2"],
)

# `decide` steps in order until one fires; one that fires with no tier
# (null) abstains: the placement ends undecided
decide_steps := [step_special_case, step_policy_or_pattern, step_fully_meets, step_significant_efforts]

decided := r if {
	fired := [j | some j, s in decide_steps; s.kind == "yes"]
	count(fired) > 0
	r := decide_steps[min(fired)].result
} else := null

# an `adjust` step runs while a tier stands, and changes it when it fires
# (to no tier when it abstains)
adjusted(step, t) := null if {
	t == null
} else := r if {
	step.kind == "yes"
	r := step.result
} else := t

watch_list_limit(t) := body(
	[and3(eq3(t, "2WL"), ge3(wl_run, add3(wl_years_without_waiver, max_wl_waivers)))],
	["3"],
)

watch_list_waiver(t) := body(
	[
		and3(and3(and3(eq3(t, "2WL"), ge3(wl_run, wl_years_without_waiver)), lt3(waivers_in_run, max_wl_waivers)), not3(known(written_plan))),
		and3(and3(and3(eq3(t, "2WL"), ge3(wl_run, wl_years_without_waiver)), lt3(waivers_in_run, max_wl_waivers)), eq3(written_plan, true)),
		and3(eq3(t, "2WL"), ge3(wl_run, wl_years_without_waiver)),
	],
	[null, "2WL", "3"],
)

post_waiver(t) := body(
	[and3(and3(post_waiver_limit, eq3(t, "2WL")), ge3(wl_years_after_waiver_downgrade, 1))],
	["3"],
)

tier_after_limit := adjusted(watch_list_limit(decided), decided)

tier_after_waiver := adjusted(watch_list_waiver(tier_after_limit), tier_after_limit)

tier := adjusted(post_waiver(tier_after_waiver), tier_after_waiver)

result := {
	"tier": tier,
	"supported": supported,
	"penalty.sufficiently_stringent": sufficiently_stringent,
	"penalty.commensurate": commensurate,
}
