from extractor.model.confidence import Calibration, fit, jointly_unsure, table_key


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


def test_keys_are_per_method_and_field_with_the_method_as_fallback() -> None:
    assert table_key(None, "invoice_number") == "null:invoice_number"
    assert table_key("rules", "lines.3.net_amount") == "rules:lines.*.net_amount"
    table = fit([("rules:total_net", 0.5, True)] * 40 + [("rules:iban", 0.5, False)] * 40)
    assert set(table) == {"rules:total_net", "rules:iban", "rules"}
    calibration = Calibration(
        {key: tuple(entry["bounds"]) for key, entry in table.items()},
        {key: tuple(entry["accuracy"]) for key, entry in table.items()},
    )
    assert calibration.confidence("rules:total_net", 0.5) > 0.9
    assert calibration.confidence("rules:iban", 0.5) < 0.1
    assert calibration.confidence("rules:due_date", 0.5) == calibration.confidence("rules", 0.5)


def test_the_bundled_table_loads() -> None:
    bundled = Calibration.bundled()
    for key, bounds in bundled.bounds.items():
        assert len(bounds) == len(bundled.accuracy[key])
        assert all(0.0 <= rate <= 1.0 for rate in bundled.accuracy[key])


def test_a_key_with_few_samples_keeps_close_to_the_key_it_falls_back_to() -> None:
    samples = [("rules:iban", 0.5, i % 5 != 0) for i in range(100)]  # 80% right
    samples += [("rules:iban@receipt", 0.9, True), ("rules:iban@receipt", 0.2, False)]
    table = fit(samples)
    assert len(table["rules:iban@receipt"]["bounds"]) == 1  # two samples make one bin
    calibration = Calibration.from_table(table)
    assert 0.6 < calibration.confidence("rules:iban@receipt", 0.9) < 0.8


def test_the_least_confident_fields_go_to_review_until_the_rest_clear_the_threshold_together() -> (
    None
):
    sure = {"seller.name": 0.99, "issue_date": 0.98, "total_gross": 0.97}
    assert jointly_unsure(sure, 0.5) == []
    unsure = {"invoice_number": 0.59, "seller.name": 0.62, "buyer.name": 0.84, "total_gross": 1.0}
    assert jointly_unsure(unsure, 0.5) == ["invoice_number"]  # 0.62 * 0.84 = 0.52 clears it
    assert jointly_unsure(unsure, 0.6) == ["invoice_number", "seller.name"]
    assert jointly_unsure({}, 0.5) == []
