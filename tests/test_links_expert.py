"""Expert cross-impact matrices: validation with precise messages, and node metrics."""

from __future__ import annotations

import numpy as np
import pytest

from sdgtrack.errors import InvalidInputError
from sdgtrack.links.expert import analyse_matrix, read_matrix

from .conftest import FIXTURES


def test_metrics_of_the_target_matrix():
    m = read_matrix(FIXTURES / "links" / "expert_targets.csv")
    assert m.codes == ["2.3", "6.4", "7.2", "13.2", "15.2"]
    nodes = analyse_matrix(m).nodes.set_index("code")
    a = m.values
    assert nodes.loc["2.3", "influence"] == -4 and nodes.loc["2.3", "influenced"] == 4
    # second order: A1 + A(A1), by hand for 2.3: -4 + (-1*4 + 0*4 + -1*5 + -2*5) = -23
    assert nodes.loc["2.3", "second_order"] == -23
    np.testing.assert_array_equal(nodes.loc[m.codes, "second_order"], a.sum(1) + a @ a.sum(1))
    assert nodes.loc["13.2", "rank"] == 1 and nodes.loc["2.3", "rank"] == 5
    assert nodes.loc["6.4", ["positive_in", "negative_in"]].tolist() == [2, 2]


def test_rows_may_come_in_another_order(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text(",1,2,3\n3,1,0,\n1,,2,-1\n2,3,,0\n")
    m = read_matrix(path)
    assert m.codes == ["1", "2", "3"]
    np.testing.assert_array_equal(m.values, [[0, 2, -1], [3, 0, 0], [1, 0, 0]])


@pytest.mark.parametrize(
    "text, expected",
    [
        (",1,2\n1,,4\n2,1,\n", "line 2, column '2': got '4'; expected an integer score from -3 to +3"),
        (",1,2\n1,,x\n2,1,\n", "got 'x'"),
        (",1,99\n1,,1\n99,1,\n", "line 1, column 'column 3': got '99'; expected an SDG goal"),
        (",1,2\n1,,1\n3,1,\n", "a square matrix"),
        (",1,2\n1,2,1\n2,1,\n", "0 or blank on the diagonal"),
        (",1,3.2\n1,,1\n3.2,1,\n", "goals only or targets only"),
        (",1,2\n1,,1.5\n2,1,\n", "got '1.5'"),
    ],
)
def test_invalid_matrices_name_line_cell_and_expectation(tmp_path, text, expected):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(InvalidInputError) as err:
        read_matrix(path)
    assert expected in str(err.value)
    assert str(path) in str(err.value)
