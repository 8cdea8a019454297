package io.itsm.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PriorityMatrixTest {

    private final PriorityMatrix matrix = PriorityMatrix.itil();

    @ParameterizedTest(name = "impact {0} x urgency {1} -> P{2}")
    @CsvSource({"1,1,1", "1,2,2", "1,3,3", "2,1,2", "2,2,3", "2,3,4", "3,1,3", "3,2,4", "3,3,5"})
    void everyCellOfTheItilMatrix(int impact, int urgency, int priority) {
        assertThat(matrix.priority(impact, urgency)).isEqualTo(priority);
    }

    @ParameterizedTest
    @CsvSource({"0,1", "4,1", "1,0", "1,4"})
    void outOfRangeInputIsRefused(int impact, int urgency) {
        assertThatThrownBy(() -> matrix.priority(impact, urgency)).isInstanceOf(IllegalArgumentException.class);
    }
}
