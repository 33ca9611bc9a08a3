"""The `flask register` commands: exit codes, reports and JSON output."""

from __future__ import annotations

import json

from tests.factories import address_id, address_row, programme_row, write_register


def test_import_exits_0_and_prints_counts(runner, tmp_path):
    addresses, programme = write_register(tmp_path, [address_row(1)], [programme_row(1)])

    result = runner.invoke(args=["register", "import", "--addresses", str(addresses),
                                 "--programme", str(programme)])

    assert result.exit_code == 0, result.output
    assert "added: 1, changed: 0, unchanged: 0, removed: 0" in result.output
    assert "encoding: UTF-8" in result.output


def test_refused_import_exits_1_and_names_every_line(runner, tmp_path):
    addresses, _ = write_register(tmp_path, [address_row(1, postcode="1"),
                                             address_row(2, huisnummer="0")])

    result = runner.invoke(args=["register", "import", "--addresses", str(addresses)])

    assert result.exit_code == 1
    assert "adressen.csv, line 2, column postcode:" in result.output
    assert "adressen.csv, line 3, column huisnummer:" in result.output
    assert "Nothing was imported" in result.output


def test_skip_invalid_exits_0(runner, tmp_path):
    addresses, _ = write_register(tmp_path, [address_row(1), address_row(2, postcode="1")])

    result = runner.invoke(args=["register", "import", "--addresses", str(addresses),
                                 "--skip-invalid"])

    assert result.exit_code == 0
    assert "refused rows: 1" in result.output


def test_usage_errors_exit_2(runner, tmp_path):
    assert runner.invoke(args=["register", "import"]).exit_code == 2
    missing = runner.invoke(args=["register", "import", "--addresses", str(tmp_path / "x.csv")])
    assert missing.exit_code == 2
    assert "does not exist" in missing.output
    assert runner.invoke(args=["register", "import", "--bogus"]).exit_code == 2


def test_lookup_prints_json_and_exits_1_when_unknown(runner, tmp_path):
    addresses, programme = write_register(tmp_path, [address_row(1, huisletter="b")],
                                          [programme_row(1, risicoprofiel="P90")])
    runner.invoke(args=["register", "import", "--addresses", str(addresses),
                        "--programme", str(programme)])

    found = runner.invoke(args=["register", "lookup", "9937 ab", "1", "--letter", "B"])
    missing = runner.invoke(args=["register", "lookup", "9937AB", "2"])

    assert found.exit_code == 0
    data = json.loads(found.stdout)
    assert (data["nummeraanduiding_id"], data["risk_profile"], data["huisletter"]) == (
        address_id(1), "P90", "B")
    assert missing.exit_code == 1
    assert "No address 9937AB 2 in the register." in missing.output


def test_stats_prints_json(runner, tmp_path):
    addresses, programme = write_register(
        tmp_path, [address_row(1), address_row(2)],
        [programme_row(1, risicoprofiel="P50", batch="1467", opname_datum="2018-01-02")])
    runner.invoke(args=["register", "import", "--addresses", str(addresses),
                        "--programme", str(programme)])

    result = runner.invoke(args=["register", "stats"])

    assert json.loads(result.stdout) == {
        "addresses": 2, "buildings": 2, "p50": 1, "p90": 0, "batches": {"1467": 1},
        "inspected": 1, "inspected_outside_risk": 0,
    }
