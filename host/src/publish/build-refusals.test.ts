import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statfsSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { formatProblem, parseTorrent } from '../../../client/src/shared.ts';
import { makeOriginalEnv } from '../../../test/helpers/make-env.ts';
import { buildEnv } from './build-env.ts';

/** Builds an env once with `prepare` applied, returns the problems as the user reads them. */
async function problemsOf(prepare: (env: string) => void): Promise<{ env: string; lines: string[] }> {
  const env = await makeOriginalEnv();
  prepare(env);
  const r = await buildEnv(env);
  return { env, lines: r.ok ? [] : r.problems.map(formatProblem).map((l) => l.replaceAll(env, '$ENV')) };
}

describe('what an OS folder may publish', () => {
  it('refuses links that leave the folder, lead to folders, dangle or loop, and special files; names each', async () => {
    const outside = await mkdtemp(path.join(tmpdir(), 'bt-secret-'));
    writeFileSync(path.join(outside, 'shadow'), 'root:$6$secret:19000:0:99999:7:::\n');
    mkdirSync(path.join(outside, 'tree'));
    writeFileSync(path.join(outside, 'tree', 'a'), 'a');
    const { env, lines } = await problemsOf((env) => {
      const d = path.join(env, 'oss', 'debian');
      symlinkSync(path.join(outside, 'shadow'), path.join(d, 'shadow'));
      symlinkSync(path.join(outside, 'tree'), path.join(d, 'tree'));
      symlinkSync('nowhere', path.join(d, 'dangling'));
      symlinkSync('loop-b', path.join(d, 'loop-a'));
      symlinkSync('loop-a', path.join(d, 'loop-b'));
      symlinkSync('.', path.join(d, 'self'));
      execFileSync('mkfifo', [path.join(d, 'pipe')]);
    });
    try {
      const d = '$ENV/oss/debian';
      assert.deepEqual(lines, [
        `${d}/dangling: is a symbolic link to nowhere, which does not exist`,
        `${d}/loop-a: is a symbolic link to loop-b, which loops`,
        `${d}/loop-b: is a symbolic link to loop-a, which loops`,
        `${d}/pipe: is not a regular file (a device, pipe or socket); it is not published`,
        `${d}/self: is a symbolic link to ., which is not a regular file: links to folders are not followed; move the folder in instead`,
        `${d}/shadow: is a symbolic link to ${outside}/shadow, outside the OS folder: only files inside it are published; copy the file in instead`,
        `${d}/tree: is a symbolic link to ${outside}/tree, outside the OS folder: only files inside it are published; copy the file in instead`,
      ]);
      assert.ok(!readdirSync(env).includes('out'), 'nothing was written');
    } finally {
      await rm(env, { recursive: true, force: true });
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('publishes a link to a file inside the same folder, under the link’s name', async () => {
    const env = await makeOriginalEnv();
    try {
      const d = path.join(env, 'oss', 'debian');
      mkdirSync(path.join(d, 'boot'));
      symlinkSync('../vmlinuz', path.join(d, 'boot', 'vmlinuz-6.1'));
      const r = await buildEnv(env);
      assert.ok(r.ok, r.ok ? '' : r.problems.map(formatProblem).join('\n'));
      const t = parseTorrent(readFileSync(path.join(env, 'out', 'torrents', 'debian.torrent')));
      assert.ok(t.ok);
      const f = t.torrent.files.find((x) => x.path === 'boot/vmlinuz-6.1');
      assert.equal(f?.length, 300_000);
    } finally {
      await rm(env, { recursive: true, force: true });
    }
  });

  it('refuses an OS of empty files only, which would never finish downloading', async () => {
    const { env, lines } = await problemsOf((env) => {
      writeFileSync(path.join(env, 'oss', 'freedos', 'odin1440.img'), '');
    });
    await rm(env, { recursive: true, force: true });
    assert.deepEqual(lines, [
      '$ENV/oss/freedos/config.yaml: oss/freedos/ holds only empty files: there is nothing to download or boot',
    ]);
  });

  it('refuses an OS with more files than configs.yaml can carry to a client, and says what to do', async () => {
    const { env, lines } = await problemsOf((env) => {
      const d = path.join(env, 'oss', 'alpine', 'many');
      mkdirSync(d);
      // long names fill configs.yaml with fewer files (the class, not the count: ~9,000 short names do it too)
      for (let i = 0; i < 3500; i++) writeFileSync(path.join(d, `${'n'.repeat(200)}-${i}`), 'x');
    });
    await rm(env, { recursive: true, force: true });
    assert.equal(lines.length, 1);
    assert.match(
      lines[0]!,
      /^\$ENV\/oss\/alpine\/config\.yaml: oss\/alpine\/ has 3502 files: their checksums would make configs\.yaml about \d+ KiB, more than the 1024 KiB a client reads; pack them into an image/,
    );
  });

  it('an OS whose torrent would be larger than a client reads is refused at build, naming it', async () => {
    const env = await makeOriginalEnv();
    try {
      // 1 KiB pieces over a 210 MiB file (sparse: nothing to write): 20 bytes of hash each, 4.3 MB in all
      writeFileSync(path.join(env, 'oss', 'alpine', 'big.img'), '');
      truncateSync(path.join(env, 'oss', 'alpine', 'big.img'), 210 << 20);
      const r = await buildEnv(env, { pieceLength: 1024 });
      assert.ok(!r.ok);
      assert.deepEqual(
        r.problems.map(formatProblem).map((l) => l.replaceAll(env, '$ENV')),
        [
          `$ENV/oss/alpine/config.yaml: its torrent would be ${r.problems[0]!.message.match(/(\d+) bytes/)![1]} bytes, more than the 4194304 a client reads; pack its files into an image`,
        ],
      );
      assert.ok(!readdirSync(env).includes('out'), 'nothing was written');
    } finally {
      await rm(env, { recursive: true, force: true });
    }
  });

  it('a file that changes while it is hashed is named, and out/ stays as it was', async () => {
    const env = await makeOriginalEnv();
    try {
      assert.ok((await buildEnv(env)).ok);
      const before = readFileSync(path.join(env, 'out', 'torrents', 'configs.yaml'));
      const img = path.join(env, 'oss', 'freedos', 'odin1440.img');
      let grown = false;
      const r = await buildEnv(env, {
        onProgress: (os) => {
          if (os === 'freedos' && !grown) {
            grown = true;
            appendFileSync(img, Buffer.alloc(4096));
          }
        },
      });
      assert.ok(!r.ok);
      assert.deepEqual(r.problems.map(formatProblem), [
        `${img}: changed while it was being hashed (1474560 → 1478656 bytes); build again once nothing writes to it`,
      ]);
      assert.deepEqual(readFileSync(path.join(env, 'out', 'torrents', 'configs.yaml')), before);
      assert.deepEqual(
        readdirSync(env).filter((n) => n.startsWith('.out')),
        [],
        'no temporary folder left',
      );
    } finally {
      await rm(env, { recursive: true, force: true });
    }
  });

  it('a disk that fills while out/ is written is a sentence naming out/, and nothing is left half-written', async () => {
    const env = await makeOriginalEnv();
    const small = await mkdtemp(path.join(tmpdir(), 'bt-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', small]);
    try {
      // the env on a small disk, filled up to 16 KiB: out/'s torrents and configs need more than that
      execFileSync('cp', ['-a', `${env}/.`, small]);
      const free = statfsSync(small);
      writeFileSync(path.join(small, 'filler'), Buffer.alloc(free.bavail * free.bsize - 16384));
      const r = await buildEnv(small);
      assert.ok(!r.ok);
      assert.equal(r.problems.length, 1);
      assert.equal(formatProblem(r.problems[0]!), `${small}/out: the disk is full (ENOSPC)`);
      assert.deepEqual(
        readdirSync(small).filter((n) => n.startsWith('.out') || n === 'out'),
        [],
        'no out/ and no temporary folder',
      );
    } finally {
      execFileSync('umount', [small]);
      await rm(small, { recursive: true, force: true });
      await rm(env, { recursive: true, force: true });
    }
  });
});

describe('names and links an env may use', () => {
  it('a file only its owner or group may read (what a hard link to /etc/shadow is) is not published, nor one behind a link; the fix is named', async () => {
    const { env, lines } = await problemsOf((env) => {
      const d = path.join(env, 'oss', 'debian');
      writeFileSync(path.join(d, 'host.key'), 'secret', { mode: 0o640 });
      chmodSync(path.join(d, 'host.key'), 0o640);
      symlinkSync('host.key', path.join(d, 'key-link'));
    });
    await rm(env, { recursive: true, force: true });
    assert.deepEqual(lines, [
      '$ENV/oss/debian/host.key: is readable only by its owner or group (mode 0640), so it is not published; if it is meant for every client, `chmod o+r` it',
      '$ENV/oss/debian/key-link: is a symbolic link to host.key, which is readable only by its owner or group (mode 0640), so it is not published; if it is meant for every client, `chmod o+r` it',
    ]);
  });

  it('a link into a sibling folder whose name starts like this one (oss/debian-x for oss/debian) is outside it', async () => {
    const { env, lines } = await problemsOf((env) => {
      mkdirSync(path.join(env, 'oss', 'debian-x'));
      writeFileSync(path.join(env, 'oss', 'debian-x', 'file'), 'x');
      symlinkSync('../debian-x/file', path.join(env, 'oss', 'debian', 'sibling'));
    });
    await rm(env, { recursive: true, force: true });
    assert.deepEqual(lines, [
      '$ENV/oss/debian/sibling: is a symbolic link to ../debian-x/file, outside the OS folder: only files inside it are published; copy the file in instead',
    ]);
  });

  it('without display_oss, folder names that are no OS name (the client’s own file names, a line break, an escape) are refused, shown as text', async () => {
    const { env, lines } = await problemsOf((env) => {
      const yaml = readFileSync(path.join(env, 'Boottorrent.yaml'), 'utf8');
      writeFileSync(path.join(env, 'Boottorrent.yaml'), yaml.replace(/ *display_oss: .*\n/, ''));
      for (const name of ['configs.yaml', 'two\nlines', 'esc\u001b[2J']) {
        mkdirSync(path.join(env, 'oss', name));
        writeFileSync(path.join(env, 'oss', name, 'config.yaml'), 'dispname: X\nmethod: kexec\nkernel: k\n');
        writeFileSync(path.join(env, 'oss', name, 'k'), 'k');
      }
    });
    await rm(env, { recursive: true, force: true });
    assert.deepEqual(lines, [
      '$ENV/oss/configs.yaml: the folder’s name is a name the client’s own files use (Boottorrent.yaml, configs.yaml, profiles.yaml, qemu-profile, downloads, *.torrent, *.aria2): rename the folder',
      '$ENV/oss/esc\\x1b[2J: the folder’s name is not a folder name under oss/ (1 to 64 letters, digits, . _ -, not starting with a dot)',
      '$ENV/oss/two\\nlines: the folder’s name is not a folder name under oss/ (1 to 64 letters, digits, . _ -, not starting with a dot)',
    ]);
  });

  it('config files are read only from inside the env: a link out of it is refused, and no line of its target is shown', async () => {
    const outside = await mkdtemp(path.join(tmpdir(), 'bt-secret-'));
    writeFileSync(path.join(outside, 'shadow'), 'root:*:20228:0:99999:7:::\ndaemon:*:20228:0:99999:7:::\n');
    for (const which of ['Boottorrent.yaml', 'oss/alpine/config.yaml']) {
      const { env, lines } = await problemsOf((env) => {
        rmSync(path.join(env, which));
        symlinkSync(path.join(outside, 'shadow'), path.join(env, which));
      });
      await rm(env, { recursive: true, force: true });
      assert.deepEqual(lines, [
        `$ENV/${which}: is a symbolic link to ${outside}/shadow, outside the env: config files are read only from inside it; copy the file in instead`,
      ]);
    }
    await rm(outside, { recursive: true, force: true });
  });
});
