# Copyright 2026 Podium contributors. Licensed under the Apache License 2.0.
"""Benchmark of the policy decision point (budget: <= 10 µs median per decision).

Run: `uv run python benchmarks/bench_policy.py [--repeats N] [--queries N] [--quick]`.

Pre-generates a stream of random but realistic queries against the bundled policy (mostly
EU operators with one role asking for their own purposes; some second roles, foreign
operators, wrong purposes, restricted subjects; fixed seed) and times
`PolicyDecisionPoint.decide` over it, repeated; the figure is the median over repeats of the
time per decision. Same-run comparisons, on the same stream:

- **dict baseline**: one `dict.get` per role of the query on the compiled table: the floor
  of any table-driven decision (no restriction, no catalog, no tie-break, no reason).
- **pycasbin**: the SAME policy, generated from the loaded `Policy` as a casbin model and
  policy lines (request and policy `sub, obj, act, reg, res`: role, category, purpose,
  region, effect; `some(where (p.eft == allow))`). Casbin has no third effect, so the
  effect is a request field: a query asks "allow?" then "pseudonymise?" for each role,
  else deny. The non-personal and restriction checks run in Python before casbin, as in
  the PDP. `FastEnforcer` (casbin's indexed variant, keyed on the request fields) runs
  the whole stream; the default `Enforcer` (a linear scan of every policy line per
  request) runs only a sample, since it is orders of magnitude slower. Before any timing,
  both enforcers must agree with the PDP's effect on every query they run; the script
  exits 1 if they do not.

Then one pass timing every call alone (`perf_counter_ns` around each; timer overhead
included), for the per-call median and p99. The budget is judged on that per-call median.
"""

from __future__ import annotations

import gc
import random
import sys
import time
from collections.abc import Callable, Sequence
from typing import NamedTuple

import casbin
from casbin.model import FastModel

from _common import base_parser, median, percentile
from podium.core.categories import CATALOG, DataCategory
from podium.privacy.policy import Effect, Policy, PolicyDecisionPoint, load_policy
from podium.privacy.regions import Region

BUDGET_US = 10.0
CASBIN_SAMPLE = 2_000

CASBIN_MODEL = """
[request_definition]
r = sub, obj, act, reg, res

[policy_definition]
p = sub, obj, act, reg, res

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = r.sub == p.sub && r.obj == p.obj && r.act == p.act && r.reg == p.reg && r.res == p.res
"""

# How often each role asks (accreditation and ticketing dominate at Games time).
ROLE_WEIGHTS = {
    "accreditation-officer": 25,
    "ticketing-agent": 25,
    "results-manager": 15,
    "support-engineer": 10,
    "accessibility-coordinator": 8,
    "vetting-officer": 7,
    "dpo": 4,
    "admin": 3,
    "legal-counsel": 3,
}
REGION_WEIGHTS = {Region.EU_EEA: 80, Region.ADEQUACY: 7, Region.THIRD_COUNTRY: 13}


class Query(NamedTuple):
    category: DataCategory
    roles: frozenset[str]
    purpose: str
    region: Region
    restricted: bool


def make_stream(policy: Policy, count: int, seed: int = 2024) -> list[Query]:
    """Return `count` queries: mostly well-formed requests, some that must be refused."""
    rng = random.Random(seed)  # noqa: S311  (a reproducible stream, not a secret)
    scope: dict[str, list[tuple[str, list[DataCategory]]]] = {}
    for rule in policy.rules:
        if rule.effect is not Effect.DENY:
            for role in rule.roles:
                for purpose in rule.purposes:
                    scope.setdefault(role, []).append((purpose, list(rule.categories)))
    roles = [r for r in ROLE_WEIGHTS if r in policy.roles]
    weights = [ROLE_WEIGHTS[r] for r in roles]
    purposes, categories = sorted(policy.purposes), list(DataCategory)
    stream = []
    for _ in range(count):
        role = rng.choices(roles, weights)[0]
        held = {role}
        if rng.random() < 0.10:
            held.add(rng.choice(roles))
        purpose, own = rng.choice(scope[role])
        if rng.random() < 0.15:
            purpose = rng.choice(purposes)
        category = rng.choice(own) if rng.random() < 0.75 else rng.choice(categories)
        region = rng.choices(list(REGION_WEIGHTS), list(REGION_WEIGHTS.values()))[0]
        stream.append(Query(category, frozenset(held), purpose, region, rng.random() < 0.01))
    return stream


def casbin_lines(policy: Policy) -> list[list[str]]:
    """Return the casbin policy lines of every grant (ALLOW or PSEUDONYMISE) of `policy`."""
    lines = {
        (role, category.value, purpose, region.value, rule.effect.value)
        for rule in policy.rules
        if rule.effect is not Effect.DENY
        for category in rule.categories
        for role in rule.roles
        for purpose in rule.purposes
        for region in rule.regions
    }
    return [list(line) for line in sorted(lines)]


def casbin_decider(enforcer: casbin.Enforcer, policy: Policy) -> Callable[[Query], Effect]:
    not_personal = {c for c, rule in CATALOG.items() if not rule.personal}
    exempt = policy.restriction_exempt_purposes
    enforce = enforcer.enforce

    def decide(query: Query) -> Effect:
        category, roles, purpose, region, restricted = query
        if category in not_personal:
            return Effect.ALLOW
        if restricted and purpose not in exempt:
            return Effect.DENY
        for effect in (Effect.ALLOW, Effect.PSEUDONYMISE):
            for role in roles:
                if enforce(role, category.value, purpose, region.value, effect.value):
                    return effect
        return Effect.DENY

    return decide


def make_enforcers(policy: Policy) -> tuple[casbin.Enforcer, casbin.Enforcer]:
    lines = casbin_lines(policy)
    plain = casbin.Enforcer(casbin.Enforcer.new_model(text=CASBIN_MODEL))
    key_order = [0, 1, 2, 3, 4]
    fast_model = FastModel(key_order)
    fast_model.load_model_from_text(CASBIN_MODEL)
    fast = casbin.FastEnforcer(fast_model, cache_key_order=key_order)
    for enforcer in (plain, fast):
        enforcer.add_policies(lines)
    return plain, fast


def per_decision(run: Callable[[], object], count: int, repeats: int) -> float:
    """Return the median over repeats of seconds per decision."""
    times = []
    for _ in range(repeats):
        gc.disable()
        try:
            start = time.perf_counter()
            run()
            times.append((time.perf_counter() - start) / count)
        finally:
            gc.enable()
    return median(times)


def per_call_ns(pdp: PolicyDecisionPoint, stream: Sequence[Query]) -> list[int]:
    decide, clock = pdp.decide, time.perf_counter_ns
    out = []
    gc.disable()
    try:
        for c, roles, purpose, region, restricted in stream:
            start = clock()
            decide(c, roles, purpose, region, restricted=restricted)
            out.append(clock() - start)
    finally:
        gc.enable()
    return sorted(out)


def check_agreement(
    pdp: PolicyDecisionPoint, name: str, decide: Callable[[Query], Effect], stream: list[Query]
) -> None:
    for number, query in enumerate(stream):
        ours = pdp.decide(*query[:4], restricted=query.restricted).effect
        theirs = decide(query)
        if ours is not theirs:
            print(f"DISAGREEMENT with {name} on query {number}: {query}: PDP {ours}, {theirs}")
            sys.exit(1)


def main() -> None:
    parser = base_parser("Policy decision point: time per decision.", repeats=5)
    parser.add_argument("--queries", type=int, default=100_000, help="stream length")
    args = parser.parse_args()
    repeats = 1 if args.quick else args.repeats
    count = 10_000 if args.quick else args.queries

    policy = load_policy()
    pdp = PolicyDecisionPoint(policy)
    stream = make_stream(policy, count)
    sample = stream[: min(CASBIN_SAMPLE, count)]
    plain, fast = make_enforcers(policy)
    casbin_plain, casbin_fast = casbin_decider(plain, policy), casbin_decider(fast, policy)
    check_agreement(pdp, "casbin FastEnforcer", casbin_fast, stream)
    check_agreement(pdp, "casbin Enforcer", casbin_plain, sample)

    decide = pdp.decide
    table = {key: hit[1].effect for key, hit in pdp._table.items()}  # noqa: SLF001
    get = table.get

    def run_pdp() -> None:
        for c, roles, purpose, region, restricted in stream:
            decide(c, roles, purpose, region, restricted=restricted)

    def run_dict() -> None:
        for c, roles, purpose, region, _ in stream:
            for role in roles:
                get((c, role, purpose, region))

    def run_casbin(decider: Callable[[Query], Effect], queries: list[Query]) -> Callable[[], None]:
        def run() -> None:
            for query in queries:
                decider(query)

        return run

    pdp_s = per_decision(run_pdp, count, repeats)
    dict_s = per_decision(run_dict, count, repeats)
    fast_s = per_decision(run_casbin(casbin_fast, stream), count, repeats)
    plain_s = per_decision(run_casbin(casbin_plain, sample), len(sample), repeats)
    calls = per_call_ns(pdp, stream)
    p50_us, p99_us = percentile(calls, 0.5) / 1000, percentile(calls, 0.99) / 1000

    effects = {
        e: sum(pdp.decide(*q[:4], restricted=q.restricted).effect is e for q in stream)
        for e in Effect
    }
    print(
        f"bundled policy: {len(policy.rules)} rules, {len(pdp._table)} compiled keys, "  # noqa: SLF001
        f"{len(casbin_lines(policy))} casbin lines; stream of {count:,} queries "
        f"({', '.join(f'{e} {n / count:.0%}' for e, n in effects.items())}); "
        f"median of {repeats}; casbin agreed on every query it ran"
    )
    rows = [
        ("PolicyDecisionPoint.decide", pdp_s, count),
        ("baseline dict.get per role", dict_s, count),
        ("pycasbin FastEnforcer", fast_s, count),
        (f"pycasbin Enforcer ({len(sample):,} queries)", plain_s, len(sample)),
    ]
    for name, seconds, _ in rows:
        print(f"  {name:<40}{seconds * 1e6:>9.3f} µs/decision {1 / seconds:>14,.0f} decisions/s")
    print(f"  ratio PDP / dict baseline               {pdp_s / dict_s:>9.2f}")
    print(f"  ratio casbin FastEnforcer / PDP         {fast_s / pdp_s:>9.1f}")
    print(f"  ratio casbin Enforcer / PDP             {plain_s / pdp_s:>9.0f}")
    print(f"  PDP per call, timer included: p50 {p50_us:.3f} µs, p99 {p99_us:.3f} µs")
    verdict = "met" if p50_us <= BUDGET_US else "NOT met"
    print(f"  budget {BUDGET_US:.0f} µs median per decision: {verdict}")


if __name__ == "__main__":
    main()
