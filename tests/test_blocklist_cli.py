"""`flask blocklist add|remove|list`: numbers are stored and shown only as keyed hashes or masks."""

from __future__ import annotations

from extensions import db
from models import Block, BlockKind
from security.blocklist import is_blocked
from tests.support.factories import vault


def test_a_number_is_blocked_by_its_keyed_hash_only(app, runner):
    result = runner.invoke(args=["blocklist", "add", "--phone", "(617) 555-0123", "--reason", "harassed an office"])
    assert result.exit_code == 0, result.output
    assert result.output == "blocked: phone +1 617 ••• ••23\n"
    block = db.session.query(Block).one()
    assert (block.kind, block.value, block.reason) == (
        BlockKind.phone,
        vault(app).hash("+16175550123"),
        "harassed an office",
    )
    assert is_blocked(db.session, vault(app).hash("+16175550123"), None)
    listed = runner.invoke(args=["blocklist", "list"]).output
    assert f"phone\thash {block.value[:12]}…" in listed and "harassed an office" in listed
    assert "6175550123" not in listed and "555-0123" not in listed
    assert (
        runner.invoke(args=["blocklist", "add", "--phone", "+1 617 555 0123"]).output
        == "already blocked: phone +1 617 ••• ••23\n"
    )


def test_networks_are_stored_normalised_and_removed_exactly(app, runner):
    assert runner.invoke(args=["blocklist", "add", "--ip", "203.0.113.7"]).output == "blocked: ip 203.0.113.7/32\n"
    assert (
        runner.invoke(args=["blocklist", "add", "--ip", "198.51.100.77/24"]).output == "blocked: ip 198.51.100.0/24\n"
    )
    assert is_blocked(db.session, None, "198.51.100.200") and is_blocked(db.session, None, "203.0.113.7")
    assert (
        runner.invoke(args=["blocklist", "remove", "--ip", "198.51.100.0/24"]).output
        == "unblocked: ip 198.51.100.0/24\n"
    )
    assert not is_blocked(db.session, None, "198.51.100.200")
    missing = runner.invoke(args=["blocklist", "remove", "--ip", "192.0.2.1"])
    assert missing.exit_code == 1 and "not on the blocklist: ip 192.0.2.1/32" in missing.output


def test_remove_a_number_and_the_empty_list(app, runner):
    runner.invoke(args=["blocklist", "add", "--phone", "617-555-0123"])
    assert (
        runner.invoke(args=["blocklist", "remove", "--phone", "6175550123"]).output
        == "unblocked: phone +1 617 ••• ••23\n"
    )
    assert runner.invoke(args=["blocklist", "list"]).output == "The blocklist is empty.\n"


def test_bad_input_is_refused_and_nothing_stored(app, runner):
    for args in (["--phone", "call me"], ["--ip", "300.1.2.3"], [], ["--phone", "6175550123", "--ip", "203.0.113.7"]):
        result = runner.invoke(args=["blocklist", "add", *args])
        assert result.exit_code == 2, args
    assert db.session.query(Block).count() == 0
