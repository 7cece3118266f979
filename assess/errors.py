"""Provides the table of user-facing problems and the exception that carries them."""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import domain

_, _ngettext, pgettext = domain("cli")

#: Every message a user can see, by code. Each says what is wrong and how to fix it.
#: Tests format the same templates, so a wording change is made in one place.
MESSAGES: dict[str, str] = {
    # reading files
    "E001": "cannot read the file: {reason}",
    "E002": "the file is empty; write a YAML mapping (for a framework start with 'id:', 'version:', 'title:')",
    "E003": "the file is not UTF-8 text ({reason}); save it as UTF-8",
    "E004": "the file looks binary (it contains NUL bytes); give a YAML text file",
    "E005": "the file is {size} bytes, over the limit of {limit} bytes; split it or check it is the right file",
    "E006": "nesting is deeper than {limit} levels; flatten the structure",
    "E007": "YAML syntax error: {problem}; check the indentation and quoting here",
    "E008": "YAML aliases and anchors ('*{name}') are not allowed; write the value out in full",
    "E009": "duplicate key '{key}' (first at line {first}); remove or rename one of them",
    "E010": "the top level must be a mapping of keys to values, not {found}",
    "E011": "unsupported YAML tag '{tag}'; remove the tag",
    "E012": "keys must be plain text, not {found}; quote the key",
    "E013": "'{text}' is not a finite number; write a number such as 7.5",
    "E014": "the file holds more than one YAML document; keep one document per file",
    "E015": "'{text}' is not a number assess can use (its exponent is beyond ±{limit}); write it in plain digits such as 7.5",
    "E016": "'{text}' is not a number assess can use ({count} digits, more than {limit}); write it with fewer digits, such as 7.5",
    "E017": "not a file but {kind}; give the path of a regular file",
    "E018": "the file holds more than {limit} bytes, more than its size on disk said; give a file that nothing is still writing to",
    "E019": "the template is {size} bytes, over the limit of {limit} bytes; shrink its pictures or check it is the right file",
    "E020": "standard input holds more than {limit} bytes, the most a file may hold; split it or check what is piped in",
    "E021": "'-' (standard input) is given {count} times, but standard input can be read once; give '-' once",
    # the next period (issue 17)
    "E801": "--from needs --period: the period the new assessment covers, such as 2027-H1 (the last one's period: {last})",
    "E802": "the new period '{period}' is the last assessment's own; give the period that follows it, such as 2027-H1",
    "E803": "the last assessment was made with framework '{found}', not '{expected}'; give its framework ('assess new {found} --from ...')",
    "E804": "the last assessment was made with {fid} {found}, newer than the framework given ({expected}); give the newer framework",
    "E805": "the new period '{period}' ends no later than the last assessment's period '{last}', so it cannot follow it; give the period after {last}, such as the next half-year or quarter",
    "E806": "a framework ({fid}: it has sections and no 'format: assess-answers/1'), not an answers file; after --from give the last assessment's answers file: 'assess new {fid} --from LAST.answers.yaml --period P -o NEW.answers.yaml'",
    # languages (issue 18): the language asked for and the one an answers file records (assess/i18n.py)
    "E925": "'{lang}' is not a language code; give one such as fr, en, ar or pt-BR (a language, and a region after a hyphen)",
    # languages (issue 18): framework translations, translate export/import
    "E901": "translations.{lang}.{key} translates nothing: {why}; name what the framework has (here: {expected}), or remove it",
    "E902": "translations has a block for '{lang}', a language 'languages' does not declare ({languages}); add {lang} to 'languages', or remove the block",
    "E903": "translations has a block for '{lang}', the framework's default language (the first of 'languages'), whose texts are the source itself; remove the block, or put the language the texts are written in first",
    "E904": "cannot read the PO file: {reason}; give a gettext .po file, such as 'assess translate export' writes",
    "E905": "'{lang}' is not a language of {fid} to translate into (its languages: {languages}, {default} first, the texts' own); add it to 'languages' first, or give one of {others}",
    "E906": "the PO file is for '{found}', not '{lang}'; give --lang {found}, or the PO file of {lang}",
    "E907": "this is the framework given, which import does not overwrite unless asked; give -o OUT, or --in-place to rewrite the framework itself",
    "E908": "the file exists; give another name, or --force to replace it",
    "E909": "the translations block is written in flow style (on one line), so one language's lines cannot be replaced alone; write it in block style, each language on its own line",
    "E910": "give --lang: {fid}'s languages are {languages}, the texts' own ({default}) first",
    "E911": "{lang} is the framework's own language ({fid}'s texts are written in it); give a language to translate into: {others}",
    "E912": "no {language} translation of {key} ({lang}); add it under translations.{lang} (assess translate export, then import): validate --strict refuses a missing translation",
    "E913": "texts without a {language} translation: {count}; validate --strict refuses a missing translation (give the file itself, not standard input, to have each one listed)",
    "E914": "translations.{lang}.{key} holds a control character ({char}), which would reach the terminal and the report as it is; remove it (only a text of several lines, a description, guidance, finding or action, may hold a line break or a tab)",
    "E915": "translations.{lang}.{key} holds a line break ({char}), but it is a one-line text (a title, label, short label, header, question or unit); write it on one line",
    # languages (issue 18): the command line's own messages
    # languages (issue 18): the report
    # languages (issue 18): the app
    # languages (issue 18): headquarters
    # schema
    "E101": "missing required key '{key}'; add it{hint}",
    "E102": "unknown key '{key}'{hint}",
    "E103": "{where}: expected {expected}, got {found}",
    "E104": "{where}: '{value}' is not one of: {allowed}",
    "E105": "{where}: {value} is below the minimum {limit}",
    "E106": "{where}: {value} is above the maximum {limit}",
    "E107": "{where}: '{value}' {pattern_hint}",
    "E108": "{where}: needs at least {limit} item(s)",
    "E109": "{where}: {detail}",
    "E110": "{where}: text is too long ({length} characters, at most {limit})",
    # cross-references
    "E201": "duplicate id '{id}' (first defined at line {first}); ids must be unique across the framework",
    "E202": "unknown scale '{scale}'; define it under 'scales' or use one of: {known}",
    "E203": "{where}: the expression does not parse: {reason}",
    "E204": "{where}: unknown name '{name}'{hint}",
    "E205": "{where}: rating bands must be in ascending order without gaps or overlaps: {detail}",
    "E206": "{where}: rating bands cover {lo}..{hi} but the score ranges over {smin}..{smax}; extend the first or last band",
    "E207": "derived scores form a cycle: {cycle}; break it",
    "E209": "unknown rating scheme '{rating}'; define it under 'ratings' or use one of: {known}",
    "E210": "{where}: show_if may only name questions, but '{name}' is a {kind}",
    "E211": "show_if conditions form a cycle: {cycle}; break it",
    "E212": "{where}: '{name}' is inside repeatable section '{repeat}' and can only be named there (in its show_if, or in a rule with scope: {repeat})",
    "E213": "{where}: rank_by '{name}' must be the repeatable section itself or a question or section inside it",
    "E214": "{where}: scale options must have distinct values; '{value}' repeats",
    "E215": "{where}: option '{value}' has no numeric score; add 'score:' or mark it 'unknown: true'",
    "E216": "{where}: {what} nest more than {limit} levels deep; write the expression flatter: sum(a, b, ...), min, max or mean instead of a long chain of operators, or part of it as a derived score",
    "E217": "{where}: {how} formats text, which an expression may not do (it can make text of any size); compare the text instead, e.g. level == 'high' or 'fuel' in chosen",
    "E218": "{where}: {what} too long: '{op}' would make text or a list of more than {limit} characters or items; repeat or join shorter parts, or compare the parts one by one",
    "E219": "{where}: '{op}' would make a number of more than {digits} digits; use smaller numbers or a smaller exponent",
    # cross-references, one code per check (assess/checks/<topic>.py)
    "E220": "{where}: '{name}' is a reserved name in conditions; choose another id",
    "E221": "{where}: max {max} must be above min {min}",
    "E222": "{where}: more than {limit} steps; use a number question instead",
    "E223": "{where}: step {step} does not divide {min}..{max} evenly",
    "E224": "{where}: label key '{key}' is not a number of the range",
    "E225": "{where}: repeatable sections cannot be nested (already inside '{within}')",
    "E226": "{where}: max {max} is below min {min}",
    "E227": "{where}: every weight in this weighted_mean is 0; give at least one a positive weight",
    "E228": "{where}: a {qtype} choice question needs either 'options' or 'scale' (one of them)",
    "E229": "{where}: a {qtype} question takes its options from 'scale', not inline 'options'",
    "E230": "{where}: a {qtype} question has no '{key}'; remove it or change the type",
    "E231": "{where}: a scale question needs options with numeric scores",
    "E232": "{where}: a yesno question's scale needs the options 'yes' and 'no'",
    "E233": "{where}: '{key}' applies to number questions only",
    "E234": "{where}: a scored number question needs both 'min' and 'max', so its score can be compared",
    "E235": "{where}: a {qtype} answer cannot be scored",
    "E236": "{where}: '{key}' applies to multiple choice questions only",
    "E237": "{where}: the range must be [lowest, highest]",
    "E238": "{where}: scope '{scope}' is not a repeatable section; name one, or remove 'scope'",
    "E239": "{where}: '{name}' must be a scale or single choice question, or a section with a rating, inside section '{section}'",
    "E240": "{where}: '{name}' must be the id of a derived score or of a section not inside a repeatable one{hint}",
    "E241": "{where}: '{name}' is not a question or section inside section '{section}'; a table shows only what the section holds{hint}",
    "E242": "{where}: a {kind} section's table lists '{right}', not '{wrong}': {why}",
    "E243": "{where}: '{name}' must be the id of a date question not inside a repeatable section{hint}",
    "E244": "{where}: '{name}' is not another rule of this framework; conflicts_with names rules whose action pulls the other way{hint}",
    "E245": "{where}: key_judgements is included already (at line {first}); a framework has one key judgements section: remove this include",
    # declared migrations (issue 17): the framework's migrations block
    "E246": "{where}: {why}; migrations run oldest first, each from the version the entry before goes to (or a release after it), the last to this file's version ({version}) or an earlier one",
    "E247": "{where}: '{name}' is not a {kind} of this version ({version}); a migration's keys are ids of the version it migrates to{hint}",
    "E248": "{where}: {value} cannot be an answer to '{qid}' in this version: {why}",
    "E249": "{where}: {what} (first at line {first}); {fix}",
    "E250": "{where}: {why}",
    "E251": "{where}: '{name}' is not {what} of the previous version {version} ({previous}); a migration names ids and values of the version it migrates from{hint}",
    # answers
    "E301": "answers were made for framework '{found}', not '{expected}'; open them with the right framework",
    "E302": "'{qid}': '{value}' is not an option of this question; use one of: {allowed}",
    "E303": "'{qid}': {value} is outside the allowed range {lo}..{hi}",
    "E304": "'{qid}': '{value}' is not a date; write it as YYYY-MM-DD",
    "E305": "'{qid}': expected {expected}, got {found}",
    "E306": "'{qid}': not applicable is not allowed for this question; give an answer or remove 'na'",
    "E307": "'{qid}': {kind} grade '{value}' is not in the {system} system; use one of: {allowed}",
    "E308": "'{qid}': confidence '{value}' is not on the confidence scale; use one of: {allowed}",
    "E309": "block id '{entity}' is used twice (first in section '{section}'); give each block its own id",
    "E310": "'{section}' is not a repeatable section of this framework; known: {known}",
    "E311": "the file '{path}' exists; choose another name or remove it first",
    "E312": "'{path}' is open in another assess session (lock held); close it there, or wait",
    "E313": "unknown framework '{ref}': give a path to a framework file or one of the bundled ids: {known}",
    "E314": "cannot save: {reason}; the previous file is unchanged",
    "E315": "'{qid}': a multiple-choice answer must be a list of options",
    "E316": "'{qid}': {count} options chosen, at most {limit} allowed",
    "E317": "'{qid}': a {qtype} question cannot be answered 'unknown'",
    "E318": "the folder holds no framework files (*.yaml); give framework files or folders that hold them",
    "E319": "opened read-only: the change is not saved; make it where the file is open for editing",
    "E320": "cannot lock the file for editing ({reason}): its folder is not writable, so no change could be saved; copy it to a folder you can write to, or open it read-only",
    "E321": "{where}: {length} characters, more than the {limit} an answers file holds; shorten it (nothing was saved)",
    "E322": "no handling marking: the report prints one on every page; give it as your handling rules require (e.g. UN RESTRICTED): 'marking:' under metadata in the answers file, or --marking for 'assess new'",
    "E323": "metadata.period: '{value}' is not a period; write it as 2026, 2026-H2, 2026-Q3, 2026-07 or 2026-07-15, or leave it out",
    "E324": "'{path}' is read-only (its owner may not write to it), so assess does not change it; look at it with 'assess open --read-only', or make it writable (chmod u+w) to edit it",
    "E325": "cannot create the file in the folder {folder} ({reason}); choose a folder you can write to",
    "E326": "the folder {folder} does not exist; create it first, or choose a folder that exists",
    "E327": "cannot create the answers file: '{path}' is {kind}; give the path of a new .yaml file",
    "E328": "{where}: {count} blocks, at most {limit} allowed; remove some",
    # assess migrate (issue 17)
    "E701": "answers made on {fid} {found} have no migration path to {version}: the framework declares {steps}; give the framework that declares a step from {found} (--to), or keep working with the version they were made on",
    "E702": "{where}: {why}; the migration cannot choose, so nothing was written: {fix}",
    "E703": "the backup '{path}' exists already; move it away first: --in-place keeps the file as it was there, and never overwrites a backup",
    "E704": "the answers are for framework '{found}', not '{expected}'; give the framework they were made on (--to FRAMEWORK)",
    "E705": "-o names the answers file itself; to replace it, use --in-place (which keeps a backup)",
    "E706": "--previous is {pid} {pversion}, another framework than {fid}; give an earlier version of this one",
    "E707": "{where}: {value} is not an option of scale '{scale}' in this version; use one of: {allowed}",
    # reports
    "E401": 'template {template}: syntax error in a tag: {problem} (near "{tag}"); correct the tag in Word',
    "E402": "template {template}: unknown variable '{name}' (near \"{tag}\"); use a variable listed in the README or remove the tag",
    "E403": "template {template}: rendering stopped: {reason}; simplify the template's loops",
    "E404": "the assessment is incomplete: {detail}; complete it, or render without --strict to get a DRAFT",
    "E405": "template {template} is not a usable Word .docx file ({reason}); give a .docx saved by Word or LibreOffice",
    "E406": "{reason}",
    "E407": "template {template}: {problem}; templates may only show the report's variables",
    "E408": "cannot write the report: {reason}; nothing was written",
    "E409": "missing: {item}",
    "E420": "template {template}: a tag cannot be shown: {reason}; correct the tag in Word, or remove it",
    "E410": "cannot write {what}: {reason}; check that its folder exists and that you may write there",
    "E411": "cannot go on: {reason}; check the path, that its folder exists and that you may read or write there",
    "E412": "{option} names the same file as {other}, so writing it would {harm}; nothing was written: give {option} a file of its own",
    "E413": "cannot write {what}: the folder {folder} {state}; nothing was written: create the folder first, or give a path in a folder that exists",
    "E414": "cannot write {what}: {reason}; nothing was written: give a path you may write to, or make it writable",
    "E415": "cannot write {what} here: the path is {kind}, not a regular file; nothing was written: give the path of a file{hint}",
    "E416": "cannot write {what}: the disk is full ({reason}); nothing was written and every existing file is as it was: free some space, or write to another disk",
    "E417": "cannot write {what}: {reason}; nothing was written and every existing file is as it was: check the path and the disk, then run the command again",
    "E418": "the file exists and {reason}; it was left as it is: give another file name, or add --force to replace it",
    "E419": "{what} is a Word document and cannot go to standard output; give a file name instead of -, e.g. {option} {example}",
    "E421": "cannot write the PDF: it is converted by LibreOffice, and {program} was not found; nothing was written: install it (Debian, Ubuntu: sudo apt-get install -y {package}), or set {variable} to its program, or leave out --pdf",
    "E422": "cannot write the PDF: {reason}; nothing was written: check that LibreOffice converts documents here (soffice --headless --convert-to pdf FILE.docx), or leave out --pdf",
    "E423": "{where}: text is too long ({length} characters, at most {limit}); a report carries the answers to headquarters, whose collect refuses such a text: shorten it (the app saves none longer), then make the report again",
    # signed reports (issue 19): the answers of a signed report must name their mission
    "E424": "these answers name no mission ('mission:' under metadata), so their report cannot be signed: a signature says which mission sent it; give the answers the mission the key was made for ('{key_mission}'), or make the report unsigned (without --sign and ASSESS_SIGNING_KEY)",
    # a report whose answers hold a NUL character (issue 19): headquarters' store cannot keep one
    "E425": "{where}: the text holds a NUL character (U+0000); a report carries the answers to headquarters, whose collect refuses such a text (its store cannot keep one): remove it, then make the report again",
    # headquarters collection
    "E501": "not a .docx report: {detail}; give the Word report that 'assess report' wrote, or its answers .yaml",
    "E502": "corrupt or truncated .docx (zip): {detail}; ask the mission to send the report again",
    "E503": "no payload: {detail}; ask the mission for the report exactly as 'assess report' wrote it",
    "E504": "payload altered: {detail}; ask the mission for the report exactly as 'assess report' wrote it",
    "E505": "unknown framework: {detail}",
    "E506": "unreadable YAML: {detail}",
    "E507": "the answers do not fit their framework {framework}: {detail}; run 'assess score' on the file to see every problem",
    "E508": "no such file or folder; check the path",
    "E509": "cannot open the store {path}: {reason}; give another file with --store",
    "E510": "the store {path} was written by a newer assess (store schema {found}, this assess knows {known}); upgrade assess",
    "E511": "'{value}' is not a period; write it as 2026, 2026-H2, 2026-Q3, 2026-07 or 2026-07-15",
    "E512": "no assessment in the store {path} matches {filters}; run 'assess list' to see what it holds",
    "E513": "cannot write {what}: {reason}; nothing was written",
    "E514": "unsupported payload: {detail}; collect it with the assess version that wrote it, or upgrade assess",
    "E515": "the store {path} does not exist; run 'assess collect' first, or give the right file with --store",
    "E516": "payload not in the documented shape: {detail}; ask the mission for the report exactly as 'assess report' wrote it",
    "E517": "the result does not follow from the answers it carries: {detail}; the payload was edited after the report was made (its SHA-256 recomputed), or made by an assess that scores differently: ask the mission for the report exactly as 'assess report' wrote it, or for its answers .yaml",
    "E518": "cannot recompute the result: the framework {framework} ({hash}) is not at hand; put that framework file beside the report as {names}, then collect again",
    "E519": "the answers the report carries do not fit their framework {framework}: {detail}; ask the mission for the report exactly as 'assess report' wrote it, or for its answers .yaml",
    "E520": "a part of the .docx is too large: {detail}; a report's parts are far smaller, so this is not a report as 'assess report' wrote it: ask the mission to send it again",
    "E521": "the .docx is ambiguous: {detail}; a report as 'assess report' wrote it never is: ask the mission for the report exactly as 'assess report' wrote it",
    "E522": "not a regular file but {kind}; collect reads only reports and answers files saved as regular files: remove it, or give the file itself",
    "E523": "assessment {id} belongs to mission '{held}' in the store, but this revision names mission '{found}'; a revision may only supersede one of the same mission, so nothing was stored: check with both missions which report is genuine (a new assessment needs its own id, from 'assess new')",
    # the shared PostgreSQL store (issue 19): E524-E531
    "E524": "the store {path} is a PostgreSQL database, and the PostgreSQL driver (psycopg) is not installed; install it with pip install 'assess[postgres]' (make installs it), or give a store file with --store",
    "E525": "cannot connect to the store {path}: {reason}; check the address given with --store or $ASSESS_STORE (user, host, port, database: create the database first, with createdb) and that the server runs and lets this user in",
    "E526": "the PostgreSQL database {path} holds no store; run 'assess collect' into it first, or give the right address with --store",
    "E527": "the PostgreSQL store {path} failed: {reason}; nothing of the step that failed was stored: check the server (its log says more) and run the command again",
    "E528": "the PostgreSQL database {path} keeps its text as {encoding}, not UTF-8, so names in other scripts would not be stored faithfully; give a database created with createdb --encoding=UTF8 --template=template0",
    "E529": "'{path}' is not a PostgreSQL address: {reason}; write it as postgresql://USER@HOST:PORT/DATABASE (or give a store file)",
    "E530": "its text holds a NUL character (\\0) in {field}, which a store cannot keep (PostgreSQL refuses it), so nothing of this file was stored; remove the character from the answers (it is invisible in most editors: search for \\0 or \\x00) and collect the file again",
    "E531": "{source} is {length} characters long, fewer than the {minimum} a key's passphrase needs: whoever gets a copy of the .key file can try passphrases on it offline, as fast as their computers go, and a short one is soon found; choose a longer one (a few words: easy to remember, slow to guess)",
    # store copy (issue 19): E532-E535
    "E532": "not empty: it holds {held}; 'assess store copy' writes only into a new file or an empty store, so nothing was written: give as DST a new file, or an empty PostgreSQL database (createdb)",
    "E533": "the same store as SRC, the store to copy; give as DST another store: a new file, or an empty PostgreSQL database",
    "E534": "the copy of {source} into this store failed ({detail}), so nothing was written into it; copy again into a new store, and if it fails again, report it with this message",
    "E535": "not a store this assess can copy: {detail}; give as SRC a store that 'assess collect' made: its file, or its postgresql:// address (a store of an older assess is brought up to date when any command opens it)",
    # mission keys and signed reports (issue 19): E536-E549
    "E536": "the mission's name {problem}; give it as the mission's reports name it (their 'mission'), such as MINUSKES: one line, at most {limit} characters",
    "E537": "the file exists, and a key file is never overwritten; give another folder with -o, or move the old file away first (a mission may hold several keys: see the README's 'Signed reports')",
    "E538": "--passphrase: {problem}; run the command in a terminal and type the same passphrase twice when asked, or set ASSESS_KEY_PASSPHRASE to the passphrase (not empty)",
    "E539": "the key is protected by a passphrase and none was given; set ASSESS_KEY_PASSPHRASE, or run the command in a terminal to be asked for it",
    "E540": "wrong passphrase for this key; give the passphrase the key was made with (ASSESS_KEY_PASSPHRASE, or typed when asked)",
    "E541": "{source} cannot be read as a key: {detail}; {fix}",
    "E542": "a private key (format: assess-signing-key/1), which must never leave the mission; give its public key, MISSION.pub, which 'assess key new' wrote beside it (a .key sent away is no longer secret: the mission makes a new key)",
    "E543": "a public key (format: assess-public-key/1), which cannot sign; give the private key file, MISSION.key, that 'assess key new' wrote beside it",
    "E544": "{field}: {problem}; give the file exactly as 'assess key new' wrote it (or ask the mission to send its .pub again)",
    "E545": "the key was made for mission '{key_mission}', but the answers name mission '{mission}'; a mission signs its own reports only: give {mission}'s key (assess key new --mission \"{mission}\" makes one), or correct the answers' mission",
    "E546": "the fingerprint {found} is not the fingerprint of the key the file holds ({computed}); the file was altered: ask the mission for its .pub again, and check the fingerprint with it by another channel (phone, in person)",
    "E547": "key {fingerprint} is trusted already for mission '{held}', not '{found}'; a key belongs to one mission: ask both missions which is genuine (nothing was trusted)",
    "E548": "key {fingerprint} of mission '{mission}' was revoked on {date} ({reason}), and revocation is final; the mission makes a new key ('assess key new') and sends its .pub",
    "E549": "{detail}; run 'assess key list' to see the keys the store trusts, and give a fingerprint as it lists it (or its start: 12 characters or more after SHA256:)",
    # collect's signature checks and the archive (issue 19): E550-E559
    "E550": "the report names mission '{mission}', but it is signed with key {fingerprint}, which headquarters trusts for mission '{key_mission}'; a mission signs its own reports only, so nothing was stored: ask mission '{mission}' for the report signed with its own key, and ask '{key_mission}' how its key came to sign it",
    "E551": "the report is signed with {key_mission}'s key {fingerprint}, which headquarters revoked on {revoked} ({reason}); a report signed with a revoked key is refused, so nothing was stored: ask the mission for the report signed with its current key (revisions collected before the key was revoked stay in the store)",
    "E552": "the report is not signed, and --require-signature refuses a report that is not; ask mission '{mission}' to sign it ('assess report ANSWERS -o REPORT.docx --sign KEY'), or collect without --require-signature",
    "E553": "the report is signed with key {fingerprint} (of mission '{signer}'), which headquarters does not trust, and --require-signature refuses it; if the mission sent you that key, check its fingerprint with the mission and trust it ('assess key trust MISSION.pub'), then collect again",
    "E554": "an answers file carries no signature, and --require-signature refuses what is not signed; collect the signed report the mission made from it ('assess report ANSWERS -o REPORT.docx --sign KEY'), or collect without --require-signature",
    "E555": "assessment {id}: the revisions the store holds are signed with {key_mission}'s key {fingerprint}, but this revision is not signed with a key headquarters trusts; it may not supersede a signed one (it could be forged), so nothing was stored: ask the mission for this report signed with its key",
    "E556": "the report's signature is refused, so nothing was stored: {detail}",
    "E557": "the archive folder {archive} is {where} {folder}, a folder being collected: the next collect would collect the archived copies too; put the archive outside the folders you collect",
    "E558": "cannot keep the collected files in the archive {archive}: {reason}; the files collected so far are stored and archived: fix the archive folder (a folder you may write, with room), then collect again to archive the rest",
    "E559": "the file changed while it was collected (what was read is not what is on disk now), so nothing was stored; collect it again once whatever is writing it has finished",
    # assess diff (issue 17): two versions of one framework, from files or git revisions
    "E601": "these are not two versions of one framework: the old one is framework '{old}', the new one '{new}'; compare two versions of the same framework (the same id)",
    "E602": "reading a git revision needs git, and git was not found; install git, or write the old version to a file (git show REV:PATH > old.yaml) and compare the two files",
    "E603": "{path} is not in a git repository ({reason}); give the path of a file in a git working copy, or compare two files",
    "E604": "'{rev}' is not a revision of the repository {repo}; give a commit, a branch or a tag it has ('git log --oneline' lists the commits)",
    "E605": "{relpath} is not in revision '{rev}' of the repository {repo}; check the file's path at that revision ('git ls-tree -r --name-only {rev}' lists them)",
    "E606": "git did not answer within {seconds} seconds; run it again, or write the old version to a file (git show REV:PATH > old.yaml) and compare the two files",
    "E607": "git could not read the revision: {reason}; write the old version to a file (git show REV:PATH > old.yaml) and compare the two files",
    "E608": "this is an answers file, not a framework; {fix}",
    "E609": "this is {what}, not a framework; {fix}",
    "E610": "this is a framework, not an answers file; {fix}",
    "E611": "this is {what}, not an answers file; {fix}",
}

#: Codes that are warnings: shown, but they do not make a command fail.
WARNINGS: dict[str, str] = {
    "W001": "answers were made for version {found} of '{fid}' (hash {found_hash}); scoring with version {expected}",
    "W002": "'{qid}' is not a question of this framework; its answer is kept in the file but not scored",
    "W003": "{where}: section mixes questions scored over different ranges ({ranges}); set 'normalize: true' to compare them on 0..1",
    "W004": "{where}: weight has no effect because the section aggregates by '{aggregate}'; use 'weighted_mean'",
    "W005": "answers pin framework hash {found} but this framework's hash is {expected}; the framework changed since the answers were started",
    "W006": "{where}: rule could not be evaluated: {reason}",
    "W007": "{where}: {count} character(s) that Word documents cannot hold were removed from the report",
    "W008": "{where}: text is too long ({length} characters, at most {limit}); it is read as it is, but the app saves no longer text: shorten it",
    "W009": "{where}: {detail}",
    "W010": "{where}: bands '{first}' ({first_colour}) and '{second}' ({second_colour}) look alike to readers with {vision} (colour difference {difference}, at least {least} needed); choose colours further apart, such as, best to worst: {palette}",
    # the user's keys file (assess/tui/keyfile.py): the entry is left out, the app opens with the rest
    "W011": "'{id}' is not a binding id of the app{hint}; it is left out: 'assess keys' lists every id with its keys",
    "W012": "{id}: '{key}' is not a key name; it is left out: write keys as ctrl+b, alt+p, f5, question_mark or a single character, several separated by commas",
    "W013": "{id}: '{key}' is already the key of '{other}', in force at the same time; it is left out: choose another key, or give '{other}' another key too",
    "W014": "the keys file must be a mapping of binding ids to keys, such as 'assess.previous: alt+p', not {found}; the file is left out",
    "W015": "{id}: give its keys as text, such as 'alt+p' or 'ctrl+b, alt+p'; the entry is left out",
    "W016": "{id}: '{key}' reaches the app as {arrives} (terminals send it as ESC {letter}, the word-{way} key of macOS terminals); it is left out: choose another key",
    # frameworks and answers (issue 16)
    "W017": "{where}: rule '{rule}' names no addressee: add 'addressee:' with who must act, one of: {known}",
    "W018": "'{qid}': reliability 'D' is written 'X' in the 4x4 code (Europol); read as X: the next save writes X",
    # the report (issue 16)
    "W022": "{where}: the judgement says '{word}' in its own words; ICD 203 states the likelihood and the analytic confidence apart, in their own answers: take the word out of the judgement",
    "W030": "answers were made for {fid} {found}: scored with that release, kept in assess; 'assess migrate' moves them to {expected}",
    "W031": "answers were made for {fid} {found}: scored with that release, kept in assess; {fid} {expected} declares no migration from {found}, so 'assess migrate' cannot move them: keep working on {found}, or start the next assessment on {expected} with 'assess new {fid}'",
    # declared migrations (issue 17)
    "W023": "{where}: '{qid}' of the previous version {version} is neither in this version nor named by a migration: its answers will be kept aside when migrated; declare where it goes (renamed_from, split_from, merged_from) or list it under removed with the reason",
    "W024": "{where}: '{source}' is still a question of this version, so it keeps its answer: '{qid}' gets a copy of it ({kind}), the answer does not move",
    "W025": "{where}: option {value} of {old} is gone in {version} and no values map says where: answers holding it will be kept aside; map it under the step's questions (values) or scales",
    # languages (issue 18): the language asked for and the one an answers file records (assess/i18n.py)
    "W055": "{fid} has no {lang} texts (its languages: {languages}): its questions and guidance are shown in {used}; the assessment is recorded in {lang}, the language it is written in (give --lang {used} to work in {used} throughout)",
    "W056": "ASSESS_LANG={value!r} is not a language code such as fr, en or pt-BR; it is ignored",
    "W057": "the interface has no {lang} (it speaks {available}): its own words are in {fallback}, and a framework's texts in {lang} where it has them",
    # languages (issue 18): framework translations, translate export/import
    "W040": "no {language} translation of {key} ({lang}); add it under translations.{lang} (assess translate export, then import)",
    "W041": "texts without a {language} translation: {count}; they are shown in {default} (assess validate lists them)",
    "W042": "{fid} has no {language} texts (its languages: {languages}); its texts are shown in {default}",
    "W043": "{key}: the PO entry translates '{msgid}', but the framework now says '{source}' (it changed since the export); not imported: export again and translate the new text",
    "W044": "{key}: the PO entry names no text of the framework (removed or renamed since the export); not imported",
    "W045": "{count} fuzzy PO entries not imported (a PO editor marks a translation fuzzy until someone checks it); review them, then import again",
    "W046": "translations.{lang}.{key} names {found} where the source names {names}: assess fills in the source's names only, so write each as the source does",
    # languages (issue 18): the command line's own messages
    # languages (issue 18): the report
    "W060": 'the report is in {language}, but the template {template} writes its own words as they are (it has no {{{{ _("…") }}}} tags): its headings and labels stay in the template\'s language; use the default template, or write its words as {{{{ _("Executive summary") }}}}',
    # languages (issue 18): the app
    # languages (issue 18): headquarters
    "W070": "{count} assessment(s) of {framework} written in {languages} keep their own words in this summary in {language}: {reason}",
    "W071": "{framework} has no translation to {language}: its titles, ratings and actions are shown in {shown}; ask its authors for one ('assess translate export {framework} --lang {lang}')",
    "W501": "the assessment has no id (it was started before 'assess new' gave one); it is identified by {basis}",
    "W503": "assessment {id}: this revision has the same 'updated' time ({updated}) as the current one but other content; it is kept as history and the current one stays: ask the mission which is right and to save it again (each save sets a new time)",
    "W504": "{framework}: no migration is declared from version {old} to {new}, so assessments on {old} are compared on the questions that did not change only; declare the migration in version {new} (its 'migrations' block) to compare them on every question that maps",
    "W505": "{framework}: the framework file of version {version} ({hash}) is not at hand, so its declared migrations cannot be read and older versions are compared on the questions that did not change only; collect that framework file, or put it beside its reports",
    "W506": "assessment {id} ({mission}, {period}): its answers could not be migrated from version {old} to {new} ({detail}); its answers are left out of the questions compared across versions (its scores are still compared)",
    # the shared PostgreSQL store (issue 19): W507-W508
    # mission keys and signed reports (issue 19): W509-W512
    "W509": "the private key file can be read by others than its owner (mode {mode}); run 'chmod 600 {path}' (ssh refuses such a key: assess warns and goes on)",
    "W510": "key {fingerprint} was revoked already on {date} ({reason}); that revocation stays as it was",
    "W511": "the folder holds no public key file (*.pub); give the .pub files the missions sent, or the folder that holds them",
    "W512": "mission '{mission}' has another key trusted ({others}); both are valid until you revoke the old one: assess key revoke OLD-FINGERPRINT --reason rotated",
    # collect's signature checks and the archive (issue 19): W513-W516
    "W513": "the report is not signed, though headquarters trusts the missions' keys: it was collected, but nothing shows it comes from mission '{mission}' unaltered; ask the mission to sign its reports ('assess report ... --sign KEY'), or collect with --require-signature to refuse what is not signed",
    "W514": "the report is signed with key {fingerprint} (of mission '{signer}'), which headquarters does not trust, so it was collected as if unsigned; if the mission sent you that key, check its fingerprint with the mission and trust it ('assess key trust MISSION.pub')",
    "W515": "the archive's copy {path} did not have the SHA-256 its name says (it was altered or damaged), so it was replaced with the collected file; check the archive's disk and who else writes to it",
    "W502": "the report's result differs from the one its answers give only in wording ({detail}); the recomputed result is stored",
}


LOCKED = ("E312", "E320", "E324")
"""Why a file cannot be opened for editing, while it can still be opened read-only."""

OPENS_ANYWAY = ("E322", "E323")
"""Problems of the metadata that score and report refuse, but that do not keep a planner from the answers: the
file opens in the app, which lists them."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found in a user's file: where it is, and what to do about it."""

    file: str
    """Path of the file, as the user named it."""
    line: int
    """1-based line, or 0 when the problem concerns the whole file."""
    col: int
    """1-based column, or 0 when the problem concerns the whole file."""
    code: str
    """Key into MESSAGES or WARNINGS."""
    message: str
    """The formatted message."""

    @property
    def is_warning(self) -> bool:
        """True for a warning (a W code): the file is used as it is, and the user is told."""
        return self.code.startswith("W")

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}" if self.line else self.file
        label = _("warning: ") if self.is_warning else ""
        return f"{where}: {label}{self.message} [{self.code}]"


def problem(file: str, pos: tuple[int, int] | None, code: str, **fields: object) -> Problem:
    """Build a Problem from a code of MESSAGES or WARNINGS and its fields."""
    template = pgettext(code, MESSAGES.get(code) or WARNINGS[code])  # in the interface's language (cli.po)
    line, col = pos if pos else (0, 0)
    # a problem is one line: a line break in a field (a mission's name, a file's text) is shown as \\n, so no text
    # read from a file can print a line of its own (a fake 'collected 1') under the program's
    shown = {k: v.replace("\r", "\\r").replace("\n", "\\n") if isinstance(v, str) else v for k, v in fields.items()}
    return Problem(str(file), line, col, code, template.format(**shown))


class AssessError(Exception):
    """Raised when user input cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
