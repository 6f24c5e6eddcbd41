-- Districts are data: devices.district and incidents.district hold the official code letter (A–T, no I
-- or O; Home Affairs Department numbering) instead of whatever name a device sent ("Central and Western",
-- "Central & Western", "中西區" …). Ingest stores codes from now on (@streetwise/districts findDistrict);
-- this converts the rows stored before, and a CHECK keeps names out. No continuous aggregate holds a
-- district (they group by device_id; analytics joins devices), so none needs rebuilding.
--
-- A name is matched on the key @streetwise/districts' districtKey makes: NFKC, lower case, "and" / "/" /
-- "&" between words as one "&", no spaces, dots or hyphens, no trailing "district" / "區" / "区". The
-- spellings below are every name and alias of its district table under that key (a test checks them).
-- A text that names no district is set to NULL and kept in district_names_unmatched, so nothing is lost;
-- ingest gives such a device its district from its location at its next birth, and an incident whose
-- district text was unknown takes its device's converted district (NULL when the device is gone).

CREATE TEMPORARY TABLE district_spellings (key text PRIMARY KEY, code text NOT NULL) ON COMMIT DROP;
INSERT INTO district_spellings (key, code) VALUES
  ('central&western', 'A'), ('中西', 'A'), ('centralwestern', 'A'),
  ('wanchai', 'B'), ('灣仔', 'B'), ('湾仔', 'B'),
  ('eastern', 'C'), ('東', 'C'), ('东', 'C'),
  ('southern', 'D'), ('南', 'D'),
  ('yautsimmong', 'E'), ('油尖旺', 'E'),
  ('shamshuipo', 'F'), ('深水埗', 'F'),
  ('kowlooncity', 'G'), ('九龍城', 'G'), ('九龙城', 'G'),
  ('wongtaisin', 'H'), ('黃大仙', 'H'), ('黄大仙', 'H'),
  ('kwuntong', 'J'), ('觀塘', 'J'), ('观塘', 'J'),
  ('tsuenwan', 'K'), ('荃灣', 'K'), ('荃湾', 'K'),
  ('tuenmun', 'L'), ('屯門', 'L'), ('屯门', 'L'),
  ('yuenlong', 'M'), ('元朗', 'M'),
  ('north', 'N'), ('北', 'N'), ('northern', 'N'),
  ('taipo', 'P'), ('大埔', 'P'),
  ('saikung', 'Q'), ('西貢', 'Q'), ('西贡', 'Q'),
  ('shatin', 'R'), ('沙田', 'R'),
  ('kwaitsing', 'S'), ('葵青', 'S'),
  ('islands', 'T'), ('離島', 'T'), ('离岛', 'T'),
  -- the code letters themselves, in either case
  ('a', 'A'), ('b', 'B'), ('c', 'C'), ('d', 'D'), ('e', 'E'), ('f', 'F'), ('g', 'G'), ('h', 'H'), ('j', 'J'),
  ('k', 'K'), ('l', 'L'), ('m', 'M'), ('n', 'N'), ('p', 'P'), ('q', 'Q'), ('r', 'R'), ('s', 'S'), ('t', 'T');

-- A text's key, as districtKey computes it.
CREATE FUNCTION pg_temp.district_key(name text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT regexp_replace(
           regexp_replace(
             regexp_replace(lower(normalize(btrim(name), NFKC)), '\s+and\s+|\s*[/&]\s*', '&', 'g'),
             '[-\s.]+', '', 'g'),
           '(district|區|区)$', '')
$$;

CREATE TABLE district_names_unmatched (
  source      text NOT NULL CHECK (source IN ('devices', 'incidents')),
  row_id      text NOT NULL,
  district    text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE district_names_unmatched IS
  'District texts that named no district when 0006_district_codes converted names to code letters; the rows got NULL (devices) or their device''s district (incidents)';

INSERT INTO district_names_unmatched (source, row_id, district)
SELECT 'devices', d.id, d.district FROM devices d
WHERE d.district IS NOT NULL AND NOT EXISTS (SELECT 1 FROM district_spellings s WHERE s.key = pg_temp.district_key(d.district));
INSERT INTO district_names_unmatched (source, row_id, district)
SELECT 'incidents', i.id::text, i.district FROM incidents i
WHERE i.district IS NOT NULL AND NOT EXISTS (SELECT 1 FROM district_spellings s WHERE s.key = pg_temp.district_key(i.district));

UPDATE devices d SET district = s.code FROM district_spellings s
WHERE d.district IS NOT NULL AND s.key = pg_temp.district_key(d.district) AND d.district IS DISTINCT FROM s.code;
UPDATE devices d SET district = NULL
WHERE d.district IS NOT NULL AND NOT EXISTS (SELECT 1 FROM district_spellings s WHERE s.key = pg_temp.district_key(d.district));

UPDATE incidents i SET district = s.code FROM district_spellings s
WHERE i.district IS NOT NULL AND s.key = pg_temp.district_key(i.district) AND i.district IS DISTINCT FROM s.code;
UPDATE incidents i SET district = (SELECT d.district FROM devices d WHERE d.id = i.device_id)
WHERE i.district IS NOT NULL AND NOT EXISTS (SELECT 1 FROM district_spellings s WHERE s.key = pg_temp.district_key(i.district));

ALTER TABLE devices ADD CONSTRAINT devices_district_code
  CHECK (district IN ('A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'N', 'P', 'Q', 'R', 'S', 'T'));
ALTER TABLE incidents ADD CONSTRAINT incidents_district_code
  CHECK (district IN ('A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'N', 'P', 'Q', 'R', 'S', 'T'));

DROP FUNCTION pg_temp.district_key(text);
