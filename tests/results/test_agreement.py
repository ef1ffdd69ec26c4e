from podium.results.agreement import DifferenceReason, analyse_agreement

# Measured on the bundled Kaggle snapshot (45 files, 18,979 rows compared).
MEASURED_RATE = 17055 / 18979


def test_recomputed_ranks_agree_with_the_official_ones_at_the_measured_rate(result_rows):
    report = analyse_agreement(result_rows)
    print(f"agreement {report.agreed}/{report.compared} = {report.rate:.4f}")  # noqa: T201
    for reason, count in sorted(report.reason_counts().items()):
        print(f"  {reason}: {count}")  # noqa: T201
    assert report.compared == 18979
    assert report.rate >= MEASURED_RATE


def test_every_difference_is_classified(result_rows):
    report = analyse_agreement(result_rows)
    assert all(isinstance(d.reason, DifferenceReason) for d in report.differences)
    assert report.reason_counts() == {
        DifferenceReason.TIE_BROKEN_BY_RULE: 810,
        DifferenceReason.RANKED_WITHOUT_VALUE: 615,
        DifferenceReason.RANK_ONLY_ON_OVERALL: 351,
        DifferenceReason.TIE_BROKEN_IN_MATCH: 54,
        DifferenceReason.RANKED_LAST_BY_STATUS: 37,
        DifferenceReason.RANK_IS_PLACE_IN_EVENT: 29,
        DifferenceReason.NO_SCORE_IN_MATCH: 26,
        DifferenceReason.IRM_DECIDES_MATCH: 2,
    }


def test_disciplines_decided_by_the_raw_value_agree_fully(result_rows):
    rates = {d.discipline: d.rate for d in analyse_agreement(result_rows).disciplines}
    for discipline in ("Swimming", "Sailing", "Diving", "Judo", "Fencing", "Marathon Swimming"):
        assert rates[discipline] == 1.0
