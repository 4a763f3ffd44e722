package io.graphwal.archive;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/** An archive target in memory, for tests that need no files. */
public final class MemoryArchiveTarget implements ArchiveTarget {

    private final Map<String, byte[]> objects = new ConcurrentSkipListMap<>();

    @Override
    public String describe() {
        return "memory:";
    }

    @Override
    public void put(String name, ObjectContent content) throws IOException {
        try (InputStream in = content.open()) {
            byte[] bytes = in.readAllBytes();
            if (bytes.length != content.length()) {
                throw new IOException(name + " yielded " + bytes.length + " bytes instead of " + content.length());
            }
            objects.put(name, bytes);
        }
    }

    /**
     * Stores bytes as they are, for tests that plant objects.
     *
     * @param name the object's name
     * @param bytes its content
     */
    public void plant(String name, byte[] bytes) {
        objects.put(name, bytes.clone());
    }

    @Override
    public List<StoredObject> list(String prefix) {
        List<StoredObject> listed = new ArrayList<>();
        objects.forEach((name, bytes) -> {
            if (name.startsWith(prefix)) {
                listed.add(new StoredObject(name, bytes.length));
            }
        });
        return listed;
    }

    @Override
    public InputStream get(String name) throws IOException {
        byte[] bytes = objects.get(name);
        if (bytes == null) {
            throw new NoSuchFileException(name);
        }
        return new ByteArrayInputStream(bytes);
    }

    @Override
    public void delete(String name) {
        objects.remove(name);
    }
}
