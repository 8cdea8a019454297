package io.itsm.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.itsm.rest.paging.Cursor;
import io.itsm.rest.paging.InMemoryPages;
import io.itsm.rest.paging.Page;
import io.itsm.rest.paging.SortKey;
import io.itsm.rest.paging.SortOrder;

/** The sort parameter and the opaque cursor of every list. */
class PagingTest {

    private static final Set<String> SORTABLE = Set.of("priority", "openedAt", "number");
    private static final List<SortKey> DEFAULT = List.of(new SortKey("openedAt", true));

    @Test
    void parsesDirectionsInOrder() {
        assertThat(SortOrder.parse("priority,-openedAt,+number", SORTABLE, DEFAULT)).containsExactly(
                new SortKey("priority", false), new SortKey("openedAt", true), new SortKey("number", false));
        assertThat(SortOrder.parse(null, SORTABLE, DEFAULT)).isEqualTo(DEFAULT);
        assertThat(SortOrder.parse(" ", SORTABLE, DEFAULT)).isEqualTo(DEFAULT);
        assertThat(SortOrder.format(SortOrder.parse("priority,-openedAt", SORTABLE, DEFAULT))).isEqualTo("priority,-openedAt");
    }

    @Test
    void refusesUnknownAndRepeatedFields() {
        assertThatThrownBy(() -> SortOrder.parse("caller", SORTABLE, DEFAULT))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.errors()).extracting(Problem.FieldError::field).containsExactly("sort");
                    assertThat(e.getMessage()).contains("'caller'", "number, openedAt, priority");
                });
        assertThatThrownBy(() -> SortOrder.parse("priority,-priority", SORTABLE, DEFAULT))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.getMessage()).contains("more than once"));
        assertThatThrownBy(() -> SortOrder.parse("priority,", SORTABLE, DEFAULT)).isInstanceOf(ProblemException.class);
    }

    @Test
    void cursorRoundTripsAndIsUrlSafe() {
        Cursor cursor = new Cursor("priority,-openedAt", List.of("2", "2026-11-22T10:00:00.123456Z", "a/b+c?d"));
        String text = cursor.encode();
        assertThat(text).matches("[A-Za-z0-9_-]+");
        assertThat(Cursor.decode(text, "priority,-openedAt", 3)).isEqualTo(cursor);
    }

    @Test
    void refusesForeignOrMismatchedCursors() {
        String cursor = new Cursor("priority", List.of("1", "x")).encode();
        assertThatThrownBy(() -> Cursor.decode(cursor, "-openedAt", 2))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.getMessage()).contains("sort=priority"));
        assertThatThrownBy(() -> Cursor.decode(cursor, "priority", 3)).isInstanceOf(ProblemException.class);
        for (String garbage : List.of("!!!", "bm90IGpzb24", "e30", "W10")) {
            assertThatThrownBy(() -> Cursor.decode(garbage, "priority", 1))
                    .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.status()).isEqualTo(400));
        }
    }

    private static final InMemoryPages.Order<Integer> ASCENDING = new InMemoryPages.Order<>("n", 1, n -> List.of(n.toString()),
            (n, after) -> n > Integer.parseInt(after.get(0)));

    @Test
    void inMemoryPagesFollowOneAnotherAndCount() {
        List<Integer> all = List.of(1, 2, 3, 4, 5);
        Page<Integer> first = InMemoryPages.page(all, ASCENDING, null, 2, true);
        assertThat(first.items()).containsExactly(1, 2);
        assertThat(first.total()).isEqualTo(5L);
        Page<Integer> second = InMemoryPages.page(all, ASCENDING, first.nextCursor(), 2, false);
        assertThat(second.items()).containsExactly(3, 4);
        assertThat(second.total()).isNull();
        Page<Integer> last = InMemoryPages.page(all, ASCENDING, second.nextCursor(), 2, false);
        assertThat(last.items()).containsExactly(5);
        assertThat(last.nextCursor()).isNull();
        assertThat(InMemoryPages.page(all, ASCENDING, null, 5, false).nextCursor()).isNull();
        assertThat(InMemoryPages.page(List.<Integer>of(), ASCENDING, null, 5, true).total()).isZero();
    }

    @Test
    void anInMemoryPageStartsAfterTheCursorsItemEvenWhenItIsGone() {
        String afterTwo = InMemoryPages.page(List.of(1, 2, 3, 4), ASCENDING, null, 2, false).nextCursor();
        assertThat(InMemoryPages.page(List.of(1, 3, 4), ASCENDING, afterTwo, 2, false).items()).containsExactly(3, 4);
        assertThat(InMemoryPages.page(List.of(0, 1, 3), ASCENDING, afterTwo, 2, false).items()).containsExactly(3);
        assertThat(InMemoryPages.page(List.of(1, 2), ASCENDING, afterTwo, 2, false).items()).isEmpty();
    }

    @Test
    void anInMemoryListRefusesForeignAndUnreadableCursors() {
        String foreign = new Cursor("createdAt", List.of("1")).encode();
        String unreadable = new Cursor("n", List.of("two")).encode();
        String tooLong = new Cursor("n", List.of("1", "2")).encode();
        for (String cursor : List.of(foreign, unreadable, tooLong, "!!!")) {
            assertThatThrownBy(() -> InMemoryPages.page(List.of(1, 2, 3), ASCENDING, cursor, 2, false))
                    .isInstanceOfSatisfying(ProblemException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.errors()).extracting(Problem.FieldError::field).containsExactly("cursor");
                    });
        }
    }
}
