"""A long table cut into one table per page: header rows and merged labels restated (layout level)."""

from __future__ import annotations

from govreport_gui.export.layout import build, table_parts


def _t3(sample):
    return next(b for b in build(sample).blocks if getattr(b, "id", None) == "t3")


def _labels(part):
    return {(c.row, c.col, c.rowspan): c.text for c in part.block.cells if c.label}


def test_cut_inside_not_processed_restates_its_labels(sample):
    t3 = _t3(sample)
    first, second = table_parts(t3, [19])  # before 2.重复申请, inside （五）不予处理 (rows 18–22)
    assert (first.continued, second.continued) == (False, True)
    assert first.source_rows == tuple(range(19))
    assert second.source_rows == (0, 1, 2, *range(19, 28))
    assert second.block.header_rows == (0, 1, 2)
    a, b = _labels(first), _labels(second)
    assert a[(18, 1, 1)] == "（五）不予处理" and b[(3, 1, 4)] == "（五）不予处理"  # 1 row here, 4 there
    assert a[(5, 0, 14)] == "三、本年度办理结果" and b[(3, 0, 8)] == "三、本年度办理结果"
    assert b[(0, 3, 1)] == "申请人情况"
    # every grid position of each part is covered exactly once
    for part in (first, second):
        covered = [(r, c) for cell in part.block.cells
                   for r in range(cell.row, cell.row + cell.rowspan)
                   for c in range(cell.col, cell.col + cell.colspan)]
        assert sorted(covered) == [(r, c) for r in range(part.block.rows) for c in range(part.block.cols)]


def test_no_cut_and_cuts_in_the_header_are_ignored(sample):
    t3 = _t3(sample)
    (whole,) = table_parts(t3, [0, 1, 2, 28])
    assert whole.block == t3 and not whole.continued


def test_small_tables_stay_whole_and_long_ones_do_not(sample):
    blocks = {b.id: b for b in build(sample).blocks if hasattr(b, "keep_whole")}
    assert (blocks["t2"].keep_whole, blocks["t3"].keep_whole, blocks["t4"].keep_whole) == (True, False, True)
