package io.itsm.localstack;

/** A tiny program for {@link AotCacheTest} to train and map a real AOT cache with. */
public final class AotCacheTrainee {

    private AotCacheTrainee() {
    }

    public static void main(String[] args) {
        System.out.println("trained " + String.join(",", java.util.List.of("a", "b")));
    }
}
