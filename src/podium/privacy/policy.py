"""The one policy decision point (PDP): who may read which personal data, and how.

Every read of personal data asks `PolicyDecisionPoint.decide` with four values: the data
category of the field, the operator's roles, the purpose of the access and the operator's
region (`podium.privacy.regions`). The answer is a `Decision`: allow, allow pseudonymised,
or deny, with a stable reason code for the audit log. Anything the policy does not grant is
denied (GDPR Art. 25, data protection by default).

The policy is a data file (`policy.toml` next to this module, or a file of the node's
own), validated once at start; a file that breaks a rule is refused with its file, rule
index, line and field. The rules of the validator:

- names: categories are `DataCategory` values and personal (non-personal data is always
  allowed and needs no rule); roles and purposes are those the file declares; regions are
  `Region` values; unknown keys are refused;
- consistency: no two rules give a different answer for one (category, role, purpose,
  region);
- sovereignty: no rule ALLOWs a category whose residency is `Residency.EU_SOVEREIGN` to a
  region other than the EU/EEA. This goes beyond GDPR Art. 45 (an adequacy decision makes
  a transfer lawful) as Paris 2024 did: outside the EU an operator receives pseudonymised
  values (Art. 4(5)) or a denial. Chapter V (Art. 44-46) and Schrems II (CJEU C-311/18).

Exceptions:

    ConfigurationError (podium.core.errors)
    └── PolicyError        code `policy_invalid`: the policy file is unreadable or invalid
"""

from __future__ import annotations

import enum
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Final, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    model_validator,
)

from podium.core.categories import CATALOG, DataCategory, Residency
from podium.core.errors import ConfigurationError
from podium.privacy.operators import SCOPES
from podium.privacy.regions import Region

__all__ = [
    "Decision",
    "Effect",
    "Policy",
    "PolicyDecisionPoint",
    "PolicyError",
    "PolicyRule",
    "Purpose",
    "load_policy",
]


class PolicyError(ConfigurationError):
    """The policy file cannot be read or breaks a rule of the validator.

    Args:
        message: the file, the rule index and line, the field, and what is wrong.
        rule: the index of the offending `[[rules]]` entry, when there is one.
        field: the offending field (`categories`, `roles`...), when there is one.

    """

    code = "policy_invalid"

    def __init__(self, message: str, *, rule: int | None = None, field: str | None = None) -> None:
        """Create the error; see the class docstring for the arguments."""
        super().__init__(message)
        self.rule = rule
        self.field = field


class Effect(enum.StrEnum):
    """What the decision point lets an operator see."""

    ALLOW = "allow"  # the real value
    PSEUDONYMISE = "pseudonymise"  # a pseudonymised value (GDPR Art. 4(5))
    DENY = "deny"  # nothing


@dataclass(frozen=True, slots=True)
class Decision:
    """The answer of the decision point for one field.

    Attributes:
        effect: allow, pseudonymise or deny.
        reason: a stable code for programs, tests and the audit log: a rule's `reason`
            (such as `eu-role-purpose`, `outside-eu`), or one the decision point sets
            itself: `not-personal`, `subject-restricted`, `purpose-not-permitted`,
            `no-rule`.

    """

    effect: Effect
    reason: str


NOT_PERSONAL: Final = Decision(Effect.ALLOW, "not-personal")
SUBJECT_RESTRICTED: Final = Decision(Effect.DENY, "subject-restricted")
PURPOSE_NOT_PERMITTED: Final = Decision(Effect.DENY, "purpose-not-permitted")
NO_RULE: Final = Decision(Effect.DENY, "no-rule")
_RESERVED_REASONS: Final = frozenset(
    d.reason for d in (NOT_PERSONAL, SUBJECT_RESTRICTED, PURPOSE_NOT_PERMITTED, NO_RULE)
)
_RANK: Final = {Effect.DENY: 0, Effect.PSEUDONYMISE: 1, Effect.ALLOW: 2}

_NAME_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
Name = Annotated[str, StringConstraints(pattern=_NAME_PATTERN, max_length=64)]
"""A role, purpose or reason name: lowercase words joined by hyphens."""
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
LawfulBasis = Annotated[str, StringConstraints(pattern=r"Art\. 6\(1\)\([a-f]\)")]

_STRICT = ConfigDict(extra="forbid", frozen=True)


class Purpose(BaseModel):
    """A purpose of processing (GDPR Art. 5(1)(b), purpose limitation).

    Attributes:
        description: what the processing is for, for a person.
        lawful_basis: the basis of Art. 6(1) it rests on (must cite `Art. 6(1)(x)`), and
            the condition of Art. 9(2) when it touches special categories.

    """

    model_config = _STRICT

    description: Text
    lawful_basis: LawfulBasis


class PolicyRule(BaseModel):
    """One `[[rules]]` entry: every combination of its lists gets `effect` and `reason`."""

    model_config = _STRICT

    categories: tuple[DataCategory, ...] = Field(min_length=1)
    roles: tuple[Name, ...] = Field(min_length=1)
    purposes: tuple[Name, ...] = Field(min_length=1)
    regions: tuple[Region, ...] = Field(min_length=1)
    effect: Effect
    reason: Name


Key = tuple[str, str, str, str]
"""(category, role, purpose, region): the key of the compiled rule table."""


class Policy(BaseModel):
    """A validated access policy: roles, purposes, rules and restriction exemptions.

    Build it with `load_policy` or `Policy.from_mapping`; both check the whole file (see
    the module docstring) and raise `PolicyError` with file, rule index, line and field.

    Attributes:
        roles: role name → description.
        purposes: purpose name → `Purpose` (description and lawful basis, Art. 6 and 9).
        rules: the rules, in file order.
        restriction_exempt_purposes: purposes still served for a data subject who obtained
            restriction of processing (GDPR Art. 18(2): legal claims; and answering the
            subject's own requests, Art. 12-22).
        role_scopes: role → the scopes (`podium.privacy.operators.SCOPES`) a staff
            sign-in session holding the role may use on the routes; a role left out
            grants none.

    """

    model_config = _STRICT

    roles: dict[Name, Text]
    purposes: dict[Name, Purpose]
    rules: tuple[PolicyRule, ...]
    restriction_exempt_purposes: frozenset[Name] = frozenset()
    role_scopes: dict[Name, tuple[str, ...]] = Field(default_factory=dict)

    @classmethod
    def from_mapping(
        cls, data: Mapping[str, Any], *, source: str = "<policy>", text: str | None = None
    ) -> Self:
        """Validate a policy given as parsed TOML.

        Args:
            data: the parsed file (`tomllib.loads`).
            source: the file's name, quoted in errors.
            text: the file's text, used only to quote the line of a rule in errors.

        Returns:
            The validated policy.

        Raises:
            PolicyError: the data breaks a rule (code `policy_invalid`).

        """
        context = _Context(source, _rule_lines(text))
        try:
            return cls.model_validate(data, context={"policy": context})
        except ValidationError as error:
            raise _from_validation_error(error, context) from None

    @model_validator(mode="after")
    def check_policy(self, info: ValidationInfo) -> Self:
        """Check names, consistency and sovereignty (see the module docstring)."""
        given = (info.context or {}).get("policy")
        context = given if isinstance(given, _Context) else _Context("<policy>")
        _check_names(self, context)
        _compile_rules(self, context)
        return self


@dataclass(frozen=True, slots=True)
class _Context:
    source: str
    rule_lines: tuple[int, ...] = ()

    def where(self, rule: int) -> str:
        line = self.rule_lines[rule] if rule < len(self.rule_lines) else None
        return f"rules[{rule}]" + (f" (line {line})" if line else "")

    def fail(self, rule: int, field: str, problem: str) -> PolicyError:
        return PolicyError(
            f"{self.source}: {self.where(rule)}, field {field}: {problem}", rule=rule, field=field
        )


def _rule_lines(text: str | None) -> tuple[int, ...]:
    """Return the 1-based line of each `[[rules]]` header, in order."""
    if text is None:
        return ()
    return tuple(
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if line.split("#", 1)[0].strip() == "[[rules]]"
    )


def _from_validation_error(error: ValidationError, context: _Context) -> PolicyError:
    first = error.errors(include_url=False)[0]
    loc = first["loc"]
    problem = f"{first['msg']} (got {first['input']!r})"
    more = f" (and {error.error_count() - 1} more errors)" if error.error_count() > 1 else ""
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        field = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc[2:])
        return context.fail(loc[1], field.lstrip(".") or "(rule)", problem + more)
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    return PolicyError(f"{context.source}: {path or '(top level)'}: {problem}{more}", field=path)


def _check_names(policy: Policy, context: _Context) -> None:
    unknown = sorted(policy.restriction_exempt_purposes - policy.purposes.keys())
    if unknown:
        raise PolicyError(
            f"{context.source}: restriction_exempt_purposes: unknown purpose {unknown[0]!r}",
            field="restriction_exempt_purposes",
        )
    _check_role_scopes(policy, context)
    for index, rule in enumerate(policy.rules):
        for role in rule.roles:
            if role not in policy.roles:
                raise context.fail(index, "roles", f"unknown role {role!r} (not in [roles])")
        for purpose in rule.purposes:
            if purpose not in policy.purposes:
                raise context.fail(
                    index, "purposes", f"unknown purpose {purpose!r} (not in [purposes])"
                )
        for category in rule.categories:
            if not CATALOG[category].personal:
                raise context.fail(
                    index,
                    "categories",
                    f"category {category.value!r} is not personal: it is always allowed "
                    "and takes no rule",
                )
        if rule.reason in _RESERVED_REASONS:
            raise context.fail(
                index, "reason", f"reason {rule.reason!r} is set by the decision point itself"
            )


def _check_role_scopes(policy: Policy, context: _Context) -> None:
    """Refuse a `[role_scopes]` entry naming a role not in `[roles]` or an unknown scope."""
    for role, scopes in policy.role_scopes.items():
        where = f"role_scopes.{role}"
        if role not in policy.roles:
            raise PolicyError(
                f"{context.source}: {where}: unknown role {role!r} (not in [roles])", field=where
            )
        for scope in scopes:
            if scope not in SCOPES:
                raise PolicyError(
                    f"{context.source}: {where}: unknown scope {scope!r} "
                    "(not in podium.privacy.operators.SCOPES)",
                    field=where,
                )


def _compile_rules(policy: Policy, ctx: _Context | None = None) -> dict[Key, tuple[int, Decision]]:
    """Expand the rules into one entry per (category, role, purpose, region).

    Returns key → (rank of the effect, decision); the rank orders ALLOW > PSEUDONYMISE >
    DENY. Raises `PolicyError` when a rule ALLOWs an EU-sovereign category outside the
    EU/EEA (sovereignty: GDPR Chapter V and Podium's rule), or when two rules give
    different decisions for one key.
    """
    ctx = ctx or _Context("<policy>")
    table: dict[Key, tuple[int, Decision]] = {}
    origin: dict[Key, int] = {}
    interned: dict[tuple[Effect, str], Decision] = {}
    for index, rule in enumerate(policy.rules):
        decision = interned.setdefault(
            (rule.effect, rule.reason), Decision(rule.effect, rule.reason)
        )
        for category in rule.categories:
            sovereign = CATALOG[category].residency is Residency.EU_SOVEREIGN
            for region in rule.regions:
                if sovereign and rule.effect is Effect.ALLOW and region is not Region.EU_EEA:
                    raise ctx.fail(
                        index,
                        "regions",
                        f"the rule ALLOWs EU-sovereign category {category.value!r} to region "
                        f"{region.value!r}; outside the EU/EEA only pseudonymise or deny "
                        "(sovereignty invariant)",
                    )
                for role in rule.roles:
                    for purpose in rule.purposes:
                        key = (category.value, role, purpose, region.value)
                        known = table.get(key)
                        if known is not None and known[1] != decision:
                            field = "effect" if known[1].effect is not rule.effect else "reason"
                            raise ctx.fail(
                                index,
                                field,
                                f"{key} is already decided by {ctx.where(origin[key])} as "
                                f"{known[1].effect}/{known[1].reason}; this rule says "
                                f"{rule.effect}/{rule.reason}",
                            )
                        table[key] = (_RANK[rule.effect], decision)
                        origin.setdefault(key, index)
    return table


def load_policy(path: Path | None = None) -> Policy:
    """Read and validate a policy file.

    Args:
        path: a TOML policy file; None reads the bundled `podium/privacy/policy.toml`.

    Returns:
        The validated policy.

    Raises:
        PolicyError: the file cannot be read, is not TOML, or breaks a rule of the
            validator (code `policy_invalid`; the message names file, rule, line, field).

    """
    try:
        if path is None:
            source = "podium/privacy/policy.toml"
            text = resources.files("podium.privacy").joinpath("policy.toml").read_text("utf-8")
        else:
            source = str(path)
            text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PolicyError(f"{source}: cannot read the policy: {error}") from error
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(f"{source}: not valid TOML: {error}") from error
    return Policy.from_mapping(data, source=source, text=text)


class PolicyDecisionPoint:
    """Decide every access to personal data from one validated policy.

    The rules are expanded at construction into a dict keyed by (category, role, purpose,
    region), so a decision is a few dict lookups (no pydantic, no allocation but the key).

    Args:
        policy: a validated policy (`load_policy`).

    """

    __slots__ = ("_exempt", "_granted", "_not_personal", "_policy", "_role_scopes", "_table")

    def __init__(self, policy: Policy) -> None:
        """Compile the policy; see the class docstring."""
        self._policy = policy
        self._table = _compile_rules(policy)
        self._not_personal = frozenset(c.value for c, rule in CATALOG.items() if not rule.personal)
        self._exempt = frozenset(policy.restriction_exempt_purposes)
        self._role_scopes = {role: frozenset(scopes) for role, scopes in policy.role_scopes.items()}
        # (role, purpose) pairs with at least one grant: tells "this purpose is not yours"
        # apart from "your purpose does not cover this data here".
        self._granted = frozenset(
            (role, purpose)
            for rule in policy.rules
            if rule.effect is not Effect.DENY
            for role in rule.roles
            for purpose in rule.purposes
        )

    @property
    def policy(self) -> Policy:
        """Return the policy the decision point was built from."""
        return self._policy

    def session_scopes(self, roles: Iterable[str]) -> frozenset[str]:
        """Return the scopes a staff sign-in session with `roles` may use (`[role_scopes]`).

        Args:
            roles: the operator's roles; unknown roles grant nothing (default deny).
        """
        empty: frozenset[str] = frozenset()
        return empty.union(*(self._role_scopes.get(role, empty) for role in roles))

    def roles_granting(self, scope: str) -> frozenset[str]:
        """Return the roles whose `[role_scopes]` entry grants `scope` (for error messages)."""
        return frozenset(role for role, held in self._role_scopes.items() if scope in held)

    @property
    def roles(self) -> frozenset[str]:
        """Return the role names the policy declares (operator creation checks against it)."""
        return frozenset(self._policy.roles)

    @property
    def purposes(self) -> frozenset[str]:
        """Return the purpose names the policy declares."""
        return frozenset(self._policy.purposes)

    def decide(
        self,
        category: DataCategory,
        roles: Iterable[str] | frozenset[str],
        purpose: str,
        region: Region,
        *,
        restricted: bool = False,
    ) -> Decision:
        """Decide whether an operator may read data of one category, and how.

        In order: non-personal data is allowed (`not-personal`); data of a subject who
        obtained restriction of processing is denied unless the purpose is exempt
        (`subject-restricted`, GDPR Art. 18(2)); then the rules of every role are looked
        up and the most permissive effect wins (ALLOW > PSEUDONYMISE > DENY; on a tie, the
        smallest reason code, so the answer never depends on the order of `roles`). With
        no rule: `purpose-not-permitted` when none of the roles is granted anything for
        the purpose (Art. 5(1)(b), purpose limitation), else `no-rule`.

        Why the most permissive role wins: a role is a grant, and an operator holding two
        roles may do what either may (as in RBAC); a `deny` rule says what a role does not
        get, not what the operator is forbidden. What must hold whatever the roles is
        enforced outside the union: region (the sovereignty invariant, checked when the
        policy is loaded, so no role can ALLOW EU-sovereign data outside the EU/EEA) and
        restriction (checked before any rule). With deny-overrides, adding a role could
        take access away, which makes roles hard to reason about.

        Args:
            category: the data category of the field (`podium.core.categories`).
            roles: the operator's roles; unknown roles grant nothing. A single string is
                taken as one role.
            purpose: the purpose of this access; an unknown purpose is denied.
            region: the operator's region (`podium.privacy.regions.region_of`).
            restricted: the data subject obtained restriction of processing (Art. 18).

        Returns:
            The decision and its reason code. Never raises for unknown names: default deny.

        """
        if category in self._not_personal:
            return NOT_PERSONAL
        if restricted and purpose not in self._exempt:
            return SUBJECT_RESTRICTED
        if isinstance(roles, str):
            roles = (roles,)
        table = self._table
        best: tuple[int, Decision] | None = None
        for role in roles:
            hit = table.get((category, role, purpose, region))
            if hit is not None and (
                best is None
                or hit[0] > best[0]
                or (hit[0] == best[0] and hit[1].reason < best[1].reason)
            ):
                best = hit
        if best is not None:
            return best[1]
        granted = self._granted
        if any((role, purpose) in granted for role in roles):
            return NO_RULE
        return PURPOSE_NOT_PERMITTED

    def decide_fields(
        self,
        categories: Mapping[str, DataCategory],
        roles: Iterable[str] | frozenset[str],
        purpose: str,
        region: Region,
        *,
        restricted: bool = False,
    ) -> dict[str, Decision]:
        """Decide every field of a record at once.

        Args:
            categories: field name → data category (for example from the columns'
                `info["category"]`).
            roles: the operator's roles.
            purpose: the purpose of this access.
            region: the operator's region.
            restricted: the data subject obtained restriction of processing (Art. 18).

        Returns:
            Field name → decision, as `decide` gives it for the field's category.

        """
        held = (roles,) if isinstance(roles, str) else tuple(roles)
        by_category: dict[DataCategory, Decision] = {}
        result: dict[str, Decision] = {}
        for field, category in categories.items():
            decision = by_category.get(category)
            if decision is None:
                decision = self.decide(category, held, purpose, region, restricted=restricted)
                by_category[category] = decision
            result[field] = decision
        return result
