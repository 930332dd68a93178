#!/usr/bin/env python3
"""Helpers for the robustness end-to-end tests (tests/e2e/robust_*.sh), with
the standard library only: small PNG writer, a forged PNG header, an EXIF
APP1 block with GPS spliced into a JPEG, a scan of written images for
metadata, and a hash + mtime listing of a folder tree.

  robust_util.py png OUT W H [GRAY]        8-bit RGB (or gray) PNG, a ramp
  robust_util.py png_header OUT W H        a PNG whose IHDR claims W x H
  robust_util.py exif_jpeg IN OUT          IN with an APP1 (EXIF + GPS +
                                           a marker string) after SOI
  robust_util.py metadata_scan DIR         lists every image under DIR that
                                           carries EXIF/XMP/text metadata
                                           or the marker; exit 1 if any
  robust_util.py tree_state DIR            sha256, size, mtime_ns per file
  robust_util.py complete DIR              every file under DIR whose name does
                                           not start with '.' is whole (JSON
                                           parses, CSV/HTML/PDF/JPEG/PNG end as
                                           they must); lists temporaries
"""
import hashlib
import os
import struct
import sys
import zlib

# A string that must never reach an output: put in the EXIF of an input.
MARKER = b"ST-PATIENT-SECRET-4711"


def png_chunk(kind, data):
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def write_png(path, w, h, gray=False):
    ch = 1 if gray else 3
    rows = []
    for y in range(h):
        row = bytearray([0])
        for x in range(w):
            v = (x * 255 // max(w - 1, 1) + y * 7) & 0xFF
            row += bytes([v] * ch) if gray else bytes([v, (v * 3) & 0xFF, 255 - v])
        rows.append(bytes(row))
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 0 if gray else 2, 0, 0, 0)
    data = (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr)
            + png_chunk(b"IDAT", zlib.compress(b"".join(rows))) + png_chunk(b"IEND", b""))
    with open(path, "wb") as f:
        f.write(data)


def write_png_header(path, w, h):
    """A valid signature and IHDR (correct CRC) claiming w x h, one tiny
    IDAT: a decoder that trusts the header would allocate w*h*3 bytes."""
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    data = (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr)
            + png_chunk(b"IDAT", zlib.compress(b"\0" * 16)) + png_chunk(b"IEND", b""))
    with open(path, "wb") as f:
        f.write(data)


def ifd(entries, next_off, base):
    """A big-endian TIFF IFD at offset `base`; entries (tag, type, count,
    payload bytes); payloads over 4 bytes go after the IFD."""
    n = len(entries)
    head = struct.pack(">H", n)
    extra = b""
    extra_off = base + 2 + 12 * n + 4
    body = b""
    for tag, typ, count, payload in entries:
        if len(payload) <= 4:
            body += struct.pack(">HHI", tag, typ, count) + payload.ljust(4, b"\0")
        else:
            body += struct.pack(">HHII", tag, typ, count, extra_off + len(extra))
            extra += payload + (b"\0" if len(payload) % 2 else b"")
    return head + body + struct.pack(">I", next_off) + extra


def exif_app1():
    """EXIF (Motorola order): IFD0 with Make, ImageDescription (the marker),
    orientation 1, a pointer to a GPS IFD (latitude/longitude of somewhere)."""
    asc = lambda s: s + b"\0"
    rat = lambda *v: b"".join(struct.pack(">II", a, b) for a, b in v)
    desc = asc(MARKER)
    make = asc(b"ST-TEST-CAMERA")
    # IFD0 at offset 8; its size is fixed once the entries are known.
    ifd0_entries = [
        (0x010E, 2, len(desc), desc),             # ImageDescription
        (0x010F, 2, len(make), make),             # Make
        (0x0112, 3, 1, struct.pack(">H", 1)),     # Orientation
        (0x8825, 4, 1, struct.pack(">I", 0)),     # GPSInfo (patched)
    ]
    ifd0 = ifd(ifd0_entries, 0, 8)
    gps_off = 8 + len(ifd0)
    ifd0_entries[3] = (0x8825, 4, 1, struct.pack(">I", gps_off))
    ifd0 = ifd(ifd0_entries, 0, 8)
    gps = ifd([
        (0x0000, 1, 4, bytes([2, 3, 0, 0])),      # GPSVersionID
        (0x0001, 2, 2, b"N\0"),                   # GPSLatitudeRef
        (0x0002, 5, 3, rat((48, 1), (8, 1), (3512, 100))),
        (0x0003, 2, 2, b"E\0"),                   # GPSLongitudeRef
        (0x0004, 5, 3, rat((11, 1), (34, 1), (4711, 100))),
    ], 0, gps_off)
    tiff = b"MM\0\x2a" + struct.pack(">I", 8) + ifd0 + gps
    payload = b"Exif\0\0" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def exif_jpeg(src, dst):
    data = open(src, "rb").read()
    assert data[:2] == b"\xff\xd8", src + ": not a JPEG"
    with open(dst, "wb") as f:
        f.write(data[:2] + exif_app1() + data[2:])


def jpeg_segments(data):
    """Marker segments before the scan: (marker, payload)."""
    out, i = [], 2
    while i + 4 <= len(data) and data[i] == 0xFF:
        m = data[i + 1]
        if m == 0xD9 or m == 0xDA:
            break
        n = struct.unpack(">H", data[i + 2:i + 4])[0]
        out.append((m, data[i + 4:i + 2 + n]))
        i += 2 + n
    return out


def png_chunks(data):
    out, i = [], 8
    while i + 8 <= len(data):
        n = struct.unpack(">I", data[i:i + 4])[0]
        out.append((data[i + 4:i + 8], data[i + 8:i + 8 + n]))
        i += 12 + n
    return out


def metadata_problems(path):
    data = open(path, "rb").read()
    found = []
    if MARKER in data:
        found.append("the input's EXIF marker string")
    if data[:2] == b"\xff\xd8":
        for m, payload in jpeg_segments(data):
            if m == 0xE1:
                found.append("APP1 (%s)" % payload[:28].split(b"\0")[0].decode("latin-1"))
            elif 0xE2 <= m <= 0xEF or m == 0xFE:
                found.append("APP%d/COM segment" % (m - 0xE0) if m != 0xFE else "COM segment")
        if b"Exif\0\0" in data:
            found.append("an Exif header")
    elif data[:8] == b"\x89PNG\r\n\x1a\n":
        for kind, _ in png_chunks(data):
            if kind in (b"eXIf", b"tEXt", b"iTXt", b"zTXt", b"tIME"):
                found.append(kind.decode() + " chunk")
    return found


def metadata_scan(root):
    n_images, bad = 0, 0
    for d, _, files in os.walk(root):
        for name in sorted(files):
            p = os.path.join(d, name)
            if not name.lower().endswith((".jpg", ".jpeg", ".png")):
                if MARKER in open(p, "rb").read():
                    print("FAIL %s: holds the input's EXIF marker string" % p)
                    bad += 1
                continue
            n_images += 1
            found = metadata_problems(p)
            if found:
                print("FAIL %s: %s" % (p, ", ".join(found)))
                bad += 1
    print("%d images under %s, %d with metadata" % (n_images, root, bad))
    return 1 if bad or not n_images else 0


def tree_state(root):
    for d, dirs, files in os.walk(root):
        dirs.sort()
        st = os.stat(d)
        print("D %s %o %d" % (os.path.relpath(d, root), st.st_mode, st.st_mtime_ns))
        for name in sorted(files):
            p = os.path.join(d, name)
            st = os.stat(p)
            h = hashlib.sha256(open(p, "rb").read()).hexdigest()
            print("F %s %s %d %o %d" % (os.path.relpath(p, root), h, st.st_size, st.st_mode,
                                         st.st_mtime_ns))


def whole(path):
    data = open(path, "rb").read()
    name = path.lower()
    if name.endswith(".json"):
        import json
        json.loads(data.decode("utf-8"))
        return True
    if name.endswith(".csv"):
        return data.endswith(b"\n")
    if name.endswith(".html"):
        return data.rstrip().endswith(b"</html>")
    if name.endswith(".pdf"):
        return data.startswith(b"%PDF") and b"%%EOF" in data[-1024:]
    if name.endswith((".jpg", ".jpeg")):
        return data.startswith(b"\xff\xd8") and data.endswith(b"\xff\xd9")
    if name.endswith(".png"):
        return data.startswith(b"\x89PNG") and data[-8:-4] == b"IEND"
    return True


def complete(root):
    bad = 0
    for d, _, files in os.walk(root):
        for name in sorted(files):
            p = os.path.join(d, name)
            if name.startswith("."):
                print("temporary %s" % p)
                continue
            try:
                ok = whole(p)
            except Exception as e:  # a half JSON file, bad UTF-8
                ok = False
            if not ok:
                print("FAIL %s: not a whole file" % p)
                bad += 1
    return 1 if bad else 0


def main(argv):
    cmd = argv[1]
    if cmd == "png":
        write_png(argv[2], int(argv[3]), int(argv[4]), len(argv) > 5 and argv[5] == "GRAY")
    elif cmd == "png_header":
        write_png_header(argv[2], int(argv[3]), int(argv[4]))
    elif cmd == "exif_jpeg":
        exif_jpeg(argv[2], argv[3])
    elif cmd == "metadata_scan":
        return metadata_scan(argv[2])
    elif cmd == "complete":
        return complete(argv[2])
    elif cmd == "tree_state":
        tree_state(argv[2])
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
