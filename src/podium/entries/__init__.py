"""Sport entries: NOCs enter athletes and teams into events within quotas and deadlines.

Public surface:

    load_rules() -> EntryRules                 quotas, age limits, deadlines (bundled TOML)
    EntryContext(rules, clock, birth_dates)    what every write needs
    enter / withdraw / replace                 one transaction each; EntryRefusedError(code)
    load_paris2024_entries / check_entries     bulk load of the real entries; re-check
    entries / quota_usage / start_list         reads
    entries_odf(games, context, type, code)    DT_PARTIC, DT_PARTIC_TEAMS, DT_ENTRIES
    SovereignBirthDates / UnknownBirthDates    birth-date providers of the age rule

Refusal codes: `quota_event`, `quota_discipline_gender`, `gender_ineligible`,
`age_ineligible`, `deadline_passed`, `not_in_noc`, `duplicate_entry`, `unknown_event`.
"""

from podium.entries.birthdates import BirthDateProvider, SovereignBirthDates, UnknownBirthDates
from podium.entries.config import PARIS2024_RULES, DisciplineRules, EntryRules, load_rules
from podium.entries.errors import EntryRefusedError
from podium.entries.loading import (
    IMPORT_OPERATOR,
    CheckReport,
    LoadReport,
    RefusedEntry,
    check_entries,
    load_paris2024_entries,
)
from podium.entries.models import Entry, EntryStatus
from podium.entries.odf_messages import ENTRY_DOCUMENT_TYPES, entries_odf
from podium.entries.queries import EntryFilter, entries, quota_usage, start_list, start_order_key
from podium.entries.rules import AgeCheck, RefusalCode
from podium.entries.schemas import (
    EntryCreate,
    EntryPublic,
    EntryReplace,
    EntryWithdraw,
    QuotaUsage,
    StartLine,
    StartList,
)
from podium.entries.service import (
    ORGANISING_COMMITTEE,
    EntryContext,
    EntryRequest,
    check_organisation,
    enter,
    replace,
    withdraw,
)

__all__ = [
    "ENTRY_DOCUMENT_TYPES",
    "IMPORT_OPERATOR",
    "ORGANISING_COMMITTEE",
    "PARIS2024_RULES",
    "AgeCheck",
    "BirthDateProvider",
    "CheckReport",
    "DisciplineRules",
    "Entry",
    "EntryContext",
    "EntryCreate",
    "EntryFilter",
    "EntryPublic",
    "EntryRefusedError",
    "EntryReplace",
    "EntryRequest",
    "EntryRules",
    "EntryStatus",
    "EntryWithdraw",
    "LoadReport",
    "QuotaUsage",
    "RefusalCode",
    "RefusedEntry",
    "SovereignBirthDates",
    "StartLine",
    "StartList",
    "UnknownBirthDates",
    "check_entries",
    "check_organisation",
    "enter",
    "entries",
    "entries_odf",
    "load_paris2024_entries",
    "load_rules",
    "quota_usage",
    "replace",
    "start_list",
    "start_order_key",
    "withdraw",
]
