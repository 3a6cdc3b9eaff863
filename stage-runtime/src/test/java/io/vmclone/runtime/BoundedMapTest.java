package io.vmclone.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BoundedMapTest {
    @Test
    void leastRecentlyUsedKeepsWhatWasReadLately() {
        Map<String, Integer> map = BoundedMap.leastRecentlyUsed(2);
        map.put("a", 1);
        map.put("b", 2);
        map.get("a");
        map.put("c", 3);
        assertThat(map).containsOnlyKeys("a", "c");
    }

    @Test
    void oldestInsertedDropsTheFirstInWhateverWasRead() {
        Map<String, Integer> map = BoundedMap.oldestInserted(2);
        map.put("a", 1);
        map.put("b", 2);
        map.get("a");
        map.put("c", 3);
        assertThat(map).containsOnlyKeys("b", "c");
    }
}
