"""The pure quorum and majority rules: properties over random memberships and votes, and one
example per edge case the rules name."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coordination.meetings.rules import Choice, decide, has_quorum, quorum_needed

FOR, AGAINST, ABSTAIN = Choice.FOR, Choice.AGAINST, Choice.ABSTAIN
members_and_present = st.integers(min_value=0, max_value=500).flatmap(
    lambda m: st.tuples(st.just(m), st.integers(min_value=0, max_value=m))
)
ballots = st.dictionaries(
    st.text(alphabet="abcdefghij", min_size=1, max_size=3), st.sampled_from(list(Choice)), max_size=40
)


@given(members_and_present)
def test_quorum_is_exactly_two_thirds_of_the_members(case):
    members, present = case
    assert has_quorum(present, members) == (members > 0 and Fraction(present, members) >= Fraction(2, 3))


@given(st.integers(min_value=1, max_value=10_000))
def test_quorum_needed_is_the_fewest_present_members_that_make_quorum(members):
    needed = quorum_needed(members)
    assert has_quorum(needed, members)
    assert not has_quorum(needed - 1, members)


@given(members_and_present)
def test_one_more_present_member_never_loses_the_quorum(case):
    members, present = case
    if present < members and has_quorum(present, members):
        assert has_quorum(present + 1, members)


@pytest.mark.parametrize(
    "members, present, quorate",
    [
        (9, 6, True),
        (9, 5, False),
        (3, 2, True),
        (3, 1, False),
        (1, 1, True),
        (1, 0, False),
        (0, 0, False),
        (10, 7, True),
        (10, 6, False),
    ],
)
def test_quorum_examples(members, present, quorate):
    assert has_quorum(present, members) is quorate


@given(ballots, st.none() | st.text(alphabet="abcdefghij", min_size=1, max_size=3))
def test_majority_of_votes_cast_decides_and_the_head_breaks_a_tie(votes, head):
    result = decide(votes, head)
    counts = {c: sum(1 for v in votes.values() if v is c) for c in Choice}
    assert (result.votes_for, result.votes_against, result.abstentions) == (
        counts[FOR],
        counts[AGAINST],
        counts[ABSTAIN],
    )
    head_choice = votes.get(head) if head else None
    if counts[FOR] != counts[AGAINST]:
        assert result.adopted == (counts[FOR] > counts[AGAINST]) and not result.decided_by_head
    else:
        assert result.adopted == (head_choice is FOR)
        assert result.decided_by_head == (head_choice in (FOR, AGAINST))


@given(ballots, st.text(alphabet="abcdefghij", min_size=1, max_size=3), st.integers(min_value=1, max_value=5))
def test_abstentions_never_change_the_outcome(votes, head, extra):
    with_abstentions = dict(votes) | {f"abstainer-{i}": ABSTAIN for i in range(extra)}
    assert decide(with_abstentions, head).adopted == decide(votes, head).adopted


@given(ballots, st.text(alphabet="abcdefghij", min_size=1, max_size=3))
def test_one_more_vote_for_never_turns_adoption_into_rejection(votes, head):
    if decide(votes, head).adopted:
        assert decide(dict(votes) | {"late-supporter": FOR}, head).adopted


def ids(*choices: Choice) -> dict[str, Choice]:
    return {f"m{i}": c for i, c in enumerate(choices)}


@pytest.mark.parametrize(
    "votes, head, adopted, by_head",
    [
        (ids(FOR, FOR, AGAINST), "m0", True, False),  # simple majority
        (ids(FOR, AGAINST, AGAINST), "m0", False, False),  # the head is outvoted
        (ids(FOR, AGAINST), "m0", True, True),  # tie, head for: adopted
        (ids(FOR, AGAINST), "m1", False, True),  # tie, head against: not adopted
        (ids(FOR, AGAINST, ABSTAIN), "m2", False, False),  # tie, head abstained: not adopted
        (ids(FOR, AGAINST), "absent-head", False, False),  # tie, head absent / no vote: not adopted
        (ids(FOR, AGAINST), None, False, False),  # tie, no head on that day: not adopted
        ({}, "m0", False, False),  # zero votes cast: not adopted
        (ids(ABSTAIN, ABSTAIN, ABSTAIN), "m0", False, False),  # only abstentions: not adopted
        (ids(FOR, ABSTAIN, ABSTAIN, ABSTAIN), "m1", True, False),  # abstentions don't count against
    ],
)
def test_outcome_edges(votes, head, adopted, by_head):
    result = decide(votes, head)
    assert (result.adopted, result.decided_by_head) == (adopted, by_head)
