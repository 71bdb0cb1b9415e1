from extractor.confidence import Calibration, fit, table_key


def test_fit_measures_accuracy_per_score_bin_and_keeps_it_monotonic() -> None:
    samples = [("rules", 0.1 * (i % 10), i % 10 >= 3) for i in range(200)]
    samples += [("rules", 0.95, i % 4 != 0) for i in range(20)]  # a noisy bin above
    table = fit(samples, bins=5)["rules"]
    assert table["bounds"][-1] == 1.0
    assert table["accuracy"] == sorted(table["accuracy"])
    calibration = Calibration(
        {"rules": tuple(table["bounds"])}, {"rules": tuple(table["accuracy"])}
    )
    assert calibration.confidence("rules", 0.05) < 0.5 < calibration.confidence("rules", 0.99)


def test_unknown_keys_pass_the_score_through() -> None:
    assert Calibration({}, {}).confidence("model", 0.42) == 0.42


def test_keys_separate_nulls_methods_and_list_items() -> None:
    assert table_key(None, "invoice_number") == "null"
    assert table_key("rules", "total_net") == "rules"
    assert table_key("rules", "lines.3.net_amount") == "rules:lines"


def test_the_bundled_table_loads() -> None:
    bundled = Calibration.bundled()
    for key, bounds in bundled.bounds.items():
        assert len(bounds) == len(bundled.accuracy[key])
        assert all(0.0 <= rate <= 1.0 for rate in bundled.accuracy[key])
