# A small project for the agree cases, built with qcode init and SQL (the
# data is ours).  Five survey answers (cases r1..r5, question 'q'), each
# of two segments; codes Barriers, Barriers/Time (a sub-code) and
# Benefits; coders dana, noa, eli, and idle (who coded nothing).
#
# doc  chars  segments          dana               noa              eli
# d1   40     [0,15) [15,40)    Time 0-10          Time 2-10        Time 0-10
#                               Benefits 20-30
# d2   20     [0,10) [10,20)    Barriers 0-5       Benefits 0-6     Benefits 0-6
# d3   20     [0,10) [10,20)    Benefits 0-8       Benefits 0-8     Benefits 0-8
# d4   20     [0,10) [10,20)    Time 5-12          Barriers 5-9     Barriers 5-12
# d5   20     [0,10) [10,20)    Benefits 0-3       -                -
# (noa also has a rejected Benefits coding 0-20 in d4, which never
# counts; d5 is coded by dana only.)
make_agree_project() {
	qcode init project.qcode >/dev/null
	sqlite3 project.qcode <<'SQL'
INSERT INTO cases(id, name) VALUES (1,'r1'),(2,'r2'),(3,'r3'),(4,'r4'),
  (5,'r5');
INSERT INTO attributes(id, name) VALUES (1,'sector');
INSERT INTO case_attributes(case_id, attr_id, value) VALUES
  (1,1,'local'),(2,1,'local'),(3,1,'government'),(4,1,'local'),
  (5,1,'government');
CREATE TEMP TABLE d(id, name, case_id, text);
INSERT INTO d VALUES
  (1,'r1/q',1,'אין לנו זמן לזה בכלל. הכלים עזרו מאוד!!!'),
  (2,'r2/q',2,'חסר זמן; אבל למדנו!!'),
  (3,'r3/q',3,'We learned a lot, ok'),
  (4,'r4/q',4,'Time is short, sadly'),
  (5,'r5/q',5,'الوقت قصير جدا هنا..');
INSERT INTO documents(id, name, case_id, question, format, text, chars,
  sha256) SELECT id, name, case_id, 'q', 'csv', text, length(text),
  'h' || id FROM d;
INSERT INTO segments(doc_id, idx, start, end, kind)
  SELECT id, 1, 0, CASE id WHEN 1 THEN 15 ELSE 10 END, 'paragraph'
  FROM documents;
INSERT INTO segments(doc_id, idx, start, end, kind)
  SELECT id, 2, CASE id WHEN 1 THEN 15 ELSE 10 END, chars, 'paragraph'
  FROM documents;
INSERT INTO codes(id, parent_id, name, path, ord) VALUES
  (1,NULL,'Barriers','Barriers',1),
  (2,1,'Time','Barriers/Time',2),
  (3,NULL,'Benefits','Benefits',3);
INSERT INTO coders(id, name) VALUES (1,'dana'),(2,'noa'),(3,'eli'),
  (4,'idle');
INSERT INTO codings(doc_id, code_id, coder_id, start, end, origin,
  status) VALUES
  (1,2,1,0,10,'manual','accepted'),
  (1,3,1,20,30,'manual','accepted'),
  (2,1,1,0,5,'manual','accepted'),
  (3,3,1,0,8,'manual','accepted'),
  (4,2,1,5,12,'manual','accepted'),
  (5,3,1,0,3,'manual','accepted'),
  (1,2,2,2,10,'manual','accepted'),
  (2,3,2,0,6,'manual','accepted'),
  (3,3,2,0,8,'manual','accepted'),
  (4,1,2,5,9,'manual','accepted'),
  (4,3,2,0,20,'manual','rejected'),
  (1,2,3,0,10,'manual','accepted'),
  (2,3,3,0,6,'manual','accepted'),
  (3,3,3,0,8,'manual','accepted'),
  (4,1,3,5,12,'manual','accepted');
SQL
}
