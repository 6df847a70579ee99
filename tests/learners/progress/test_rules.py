"""Property tests for the pure progress rules."""

from hypothesis import given
from hypothesis import strategies as st

from learners.progress.rules import continue_lesson_id, lessons_complete, progress_percent

lesson_ids = st.lists(st.integers(min_value=1, max_value=10_000), unique=True, max_size=40)


@given(completed=st.integers(-50, 500), total=st.integers(-5, 500))
def test_progress_percent_is_a_whole_percentage_within_bounds(completed, total):
    percent = progress_percent(completed, total)
    assert isinstance(percent, int)
    assert 0 <= percent <= 100
    if total <= 0 or completed <= 0:
        assert percent == 0
    elif completed >= total:
        assert percent == 100
    else:
        # Rounded down: 100 % is shown only when everything is done.
        assert percent < 100
        assert percent == completed * 100 // total


@given(total=st.integers(1, 500), data=st.data())
def test_progress_percent_never_decreases_as_lessons_are_completed(total, data):
    done = data.draw(st.integers(0, total - 1))
    assert progress_percent(done, total) <= progress_percent(done + 1, total)


def test_progress_percent_examples():
    assert progress_percent(0, 0) == 0
    assert progress_percent(1, 3) == 33
    assert progress_percent(2, 3) == 66
    assert progress_percent(3, 3) == 100
    assert progress_percent(4, 3) == 100


@given(ordered=lesson_ids, data=st.data())
def test_continue_lesson_is_incomplete_and_in_the_course(ordered, data):
    completed = data.draw(st.sets(st.sampled_from(ordered))) if ordered else set()
    last = data.draw(st.one_of(st.none(), st.sampled_from(ordered))) if ordered else None
    result = continue_lesson_id(ordered, completed, last)
    incomplete = [i for i in ordered if i not in completed]
    if not incomplete:
        assert result is None
        return
    assert result in incomplete
    start = ordered.index(last) if last is not None else 0
    after = [i for i in ordered[start:] if i not in completed]
    # The first incomplete lesson from the last viewed onwards; earlier gaps only after that.
    assert result == (after[0] if after else incomplete[0])


@given(ordered=lesson_ids, data=st.data())
def test_continue_lesson_with_unknown_last_viewed_starts_from_the_beginning(ordered, data):
    completed = data.draw(st.sets(st.sampled_from(ordered))) if ordered else set()
    gone = max(ordered, default=0) + 1  # a lesson deleted or unpublished since it was viewed
    assert continue_lesson_id(ordered, completed, gone) == continue_lesson_id(
        ordered, completed, None
    )


def test_continue_lesson_examples():
    assert continue_lesson_id([1, 2, 3, 4], {1, 2}, 2) == 3
    assert continue_lesson_id([1, 2, 3, 4], {1, 3}, 3) == 4
    assert continue_lesson_id([1, 2, 3, 4], {3, 4}, 4) == 1  # wraps to an earlier gap
    assert continue_lesson_id([1, 2, 3, 4], {1}, 3) == 3  # viewed, not finished: resume it
    assert continue_lesson_id([1, 2], {1, 2}, 2) is None
    assert continue_lesson_id([], set(), None) is None


@given(ordered=lesson_ids, extra=st.sets(st.integers(20_000, 20_100)))
def test_lessons_complete_iff_every_live_lesson_is_done(ordered, extra):
    assert lessons_complete(ordered, set(ordered) | extra) == bool(ordered)
    if ordered:
        assert not lessons_complete(ordered, set(ordered[1:]) | extra)


def test_lessons_complete_edge_cases():
    assert not lessons_complete([], [])  # an empty course is never complete
    assert not lessons_complete([], [1, 2])
    assert lessons_complete([1], [1])
    assert lessons_complete([1, 2], [2, 1, 1])  # duplicates and order do not matter
    assert not lessons_complete([1, 2], [1, None])  # deleted lessons (NULL) count for none
    assert lessons_complete(iter([1, 2]), iter([1, 2]))  # any iterables, read once
