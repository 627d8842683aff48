"""Vision detectors: national emblem, national flag, organ marks (police emblem), official seals."""
