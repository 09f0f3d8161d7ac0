"""The shared toolkit: editions, one chapter per community with ordered sections (standards,
practices, key results, lessons), its way from draft through review to an approved revision, and exports."""
