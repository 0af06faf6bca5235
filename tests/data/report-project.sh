# A small project with known answers for the count, cooccur, quotes and
# report cases, built with qcode init and SQL (the data is ours).
#
# Cases r1..r7 (sector: local / government; r7 has no sector), one survey
# question "expect" answered by r1..r6 (r6's answer is empty), a second
# question "missing" answered by r1, r2, r7; a transcript without a case.
#
# Codes (codebook order):            expect: cases
#   1 חשיפה לתהליכים דיגיטליים         r1 r2 r3 r4        (roll-up)
#   2   └ בארץ                          r1 r2
#   3   └ בעולם                         r1 r3 r4 (r1 also here: once)
#   4 חיבור בין רשויות                  r2 r5
#   5 Practical tools                   r3 (accepted), r4 (suggested),
#                                       r5 (rejected)
#   6 Unused                            - (questions: missing)
# In "missing": r1 -> 4, r7 -> 5; the transcript codes 5 twice (Dana) and
# 1 once.
make_report_project() {
	qcode init "${1:-project.qcode}" >/dev/null
	sqlite3 "${1:-project.qcode}" <<'SQL'
INSERT INTO cases(id, name) VALUES (1,'r1'),(2,'r2'),(3,'r3'),(4,'r4'),
  (5,'r5'),(6,'r6'),(7,'r7');
INSERT INTO attributes(id, name) VALUES (1,'sector'),(2,'role');
INSERT INTO case_attributes(case_id, attr_id, value) VALUES
  (1,1,'local'),(2,1,'local'),(3,1,'government'),(4,1,'local'),
  (5,1,'government'),(6,1,'local'),
  (1,2,'נציג רשות'),(2,2,'מנהלת מחלקה'),(3,2,'נציג משרד'),
  (4,2,'רכזת'),(5,2,'נציג משרד'),(7,2,'volunteer');
CREATE TEMP TABLE d(id, name, case_id, question, format, text, sha256);
INSERT INTO d VALUES
  (1,'r1/expect',1,'expect','csv',
   'נחשפתי לתהליכים דיגיטליים בארץ ובעולם, וזה פתח לי את הראש.','a1'),
  (2,'r2/expect',2,'expect','csv',
   'הכרתי עמיתים מרשויות אחרות ושמעתי על פרויקטים בארץ.','a2'),
  (3,'r3/expect',3,'expect','csv',
   'I expected practical tools and saw what other countries do.','a3'),
  (4,'r4/expect',4,'expect','csv',
   'ראינו דוגמאות מהעולם; חסרו כלים מעשיים.','a4'),
  (5,'r5/expect',5,'expect','csv',
   'الربط بين السلطات المحلية كان مفيدا جدا.','a5'),
  (6,'r6/expect',6,'expect','csv','','a6'),
  (7,'r1/missing',1,'missing','csv','עוד קשרים בין רשויות.','a7'),
  (8,'r2/missing',2,'missing','csv','Nothing was missing.','a8'),
  (9,'r7/missing',7,'missing','csv','More hands-on tools, please.','a9'),
  (10,'interview.txt',NULL,NULL,'txt',
   'Dana: The tools were the best part.
Eli: For me it was seeing the world.
Dana: And tools again, to be honest.','a10');
INSERT INTO documents(id, name, case_id, question, format, text, chars,
  sha256) SELECT id, name, case_id, question, format, text, length(text),
  sha256 FROM d;
INSERT INTO document_attributes(doc_id, attr_id, value) VALUES
  (10,1,'government');
INSERT INTO segments(doc_id, idx, start, end, kind, speaker, time_start)
  SELECT id, 1, 0, chars, 'answer', NULL, NULL FROM documents WHERE id < 10;
INSERT INTO segments(id, doc_id, idx, start, end, kind, speaker,
  time_start) VALUES
  (100,10,1,0,35,'turn','Dana',5000),
  (101,10,2,36,72,'turn','Eli',65000),
  (102,10,3,73,109,'turn','Dana',3725250);
INSERT INTO codes(id, parent_id, name, path, ord, language, color,
  questions) VALUES
  (1,NULL,'חשיפה לתהליכים דיגיטליים','חשיפה לתהליכים דיגיטליים',1,'he',
   '#2a9d8f',NULL),
  (2,1,'בארץ','חשיפה לתהליכים דיגיטליים/בארץ',2,'he',NULL,NULL),
  (3,1,'בעולם','חשיפה לתהליכים דיגיטליים/בעולם',3,'he',NULL,NULL),
  (4,NULL,'חיבור בין רשויות','חיבור בין רשויות',4,'he','red;x',NULL),
  (5,NULL,'Practical tools','Practical tools',5,'he',NULL,NULL),
  (6,NULL,'Unused','Unused',6,'he',NULL,'["missing"]');
INSERT INTO coders(id, name) VALUES (1,'tester'),(2,'noa');
INSERT INTO codings(doc_id, code_id, coder_id, segment_id, start, end,
  origin, status) VALUES
  (1,2,1,1,0,30,'manual','accepted'),
  (1,3,1,1,0,37,'manual','accepted'),
  (1,3,2,1,31,37,'imported','accepted'),
  (2,2,1,2,37,50,'manual','accepted'),
  (2,4,1,2,0,26,'manual','accepted'),
  (3,5,1,3,11,26,'manual','accepted'),
  (3,3,2,3,35,58,'imported','accepted'),
  (4,3,1,4,0,20,'auto','accepted'),
  (4,5,1,4,22,38,'auto','suggested'),
  (5,4,1,5,0,25,'manual','accepted'),
  (5,5,1,5,0,5,'auto','rejected'),
  (7,4,1,7,4,20,'manual','accepted'),
  (9,5,2,9,0,19,'manual','accepted'),
  (10,5,1,100,6,15,'manual','accepted'),
  (10,3,1,101,41,72,'manual','accepted'),
  (10,5,1,102,83,88,'manual','accepted');
SQL
}
