// Starts a real AT Protocol network on loopback for Hearth's Bluesky tests, prints one JSON
// line with its addresses, and stops it when its standard input closes or on SIGTERM.
//
//   node start.mjs PDS_PORT PLC_PORT                    PLC (in memory) and PDS (SQLite):
//                                                       @atproto/dev-env's TestNetworkNoAppView
//   node start.mjs PDS_PORT PLC_PORT --appview BSKY_PORT  the same with the AppView (TestNetwork),
//                                                       on a private PostgreSQL and Redis that
//                                                       this script starts in a temporary folder
//
// A line `process` on standard input waits until the AppView has indexed everything the PDS
// holds, then prints `{"processed":true}` (tests send it before they read counts, replies and
// notifications).
import net from 'node:net'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import { spawn, execFileSync } from 'node:child_process'

// Every server the network starts listens on loopback only.
const listen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number') {
    const rest = typeof args[1] === 'string' ? args.slice(2) : args.slice(1)
    return listen.call(this, args[0], '127.0.0.1', ...rest)
  }
  if (args[0] && typeof args[0] === 'object' && !args[0].path) {
    args[0] = { ...args[0], host: '127.0.0.1' }
  }
  return listen.apply(this, args)
}

const args = process.argv.slice(2)
const [pdsPort, plcPort] = args.slice(0, 2).map(Number)
const appview = args[2] === '--appview'
const bskyPort = appview ? Number(args[3]) : undefined

const children = []
let scratch

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = net.createServer()
    s.once('error', reject)
    s.listen(0, () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

const answers = (port) =>
  new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1')
    c.once('connect', () => {
      c.destroy()
      resolve(true)
    })
    c.once('error', () => resolve(false))
  })

function postgresBin(name) {
  const base = '/usr/lib/postgresql'
  const versions = fs.existsSync(base) ? fs.readdirSync(base).sort().reverse() : []
  for (const v of versions) {
    const p = path.join(base, v, 'bin', name)
    if (fs.existsSync(p)) return p
  }
  return name
}

// PostgreSQL refuses to run as root: as root, its folder and process belong to `postgres`.
function asOwner() {
  if (process.getuid() !== 0) return {}
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim())
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim())
  return { uid, gid }
}

async function startDatabases() {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-appview-'))
  const owner = asOwner()
  if (owner.uid !== undefined) fs.chownSync(scratch, owner.uid, owner.gid)
  const data = path.join(scratch, 'pg')
  execFileSync(postgresBin('initdb'), ['-D', data, '-A', 'trust', '-U', 'pg', '--no-sync'], {
    ...owner,
    stdio: 'ignore',
  })
  const pgPort = await freePort()
  const pg = spawn(
    postgresBin('postgres'),
    ['-D', data, '-p', String(pgPort), '-k', scratch, '-c', 'listen_addresses=127.0.0.1',
      '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
      '-c', 'max_connections=200'],
    { ...owner, stdio: 'ignore' },
  )
  children.push({ child: pg, signal: 'SIGINT' })
  const redisPort = await freePort()
  const redis = spawn(
    'redis-server',
    ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  )
  children.push({ child: redis, signal: 'SIGTERM' })
  for (let i = 0; i < 200; i++) {
    const ready =
      (await answers(redisPort)) &&
      (await answers(pgPort)) &&
      (() => {
        try {
          execFileSync(postgresBin('pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(pgPort)])
          return true
        } catch {
          return false
        }
      })()
    if (ready) break
    await sleep(50)
  }
  process.env.REDIS_HOST = `127.0.0.1:${redisPort}`
  return `postgresql://pg@127.0.0.1:${pgPort}/postgres`
}

function stopDatabases() {
  for (const { child, signal } of children) {
    try {
      child.kill(signal)
    } catch {}
  }
}

let network
let stopping = false
const stop = async () => {
  if (stopping) return
  stopping = true
  try {
    if (network) await network.close()
  } catch {}
  stopDatabases()
  await sleep(300)
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true })
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)

try {
  const env = await import('@atproto/dev-env')
  if (appview) {
    const dbPostgresUrl = await startDatabases()
    network = await env.TestNetwork.create({
      dbPostgresUrl,
      dbPostgresSchema: 'hearth',
      plc: { port: plcPort },
      pds: { port: pdsPort, hostname: 'localhost', inviteRequired: false },
      bsky: { port: bskyPort },
    })
  } else {
    network = await env.TestNetworkNoAppView.create({
      plc: { port: plcPort },
      pds: { port: pdsPort, hostname: 'localhost', inviteRequired: false },
    })
  }
} catch (e) {
  console.error(e)
  stopDatabases()
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true })
  process.exit(1)
}
console.log(
  JSON.stringify({ pds: network.pds.url, plc: network.plc.url, bsky: network.bsky?.url ?? null }),
)
const lines = readline.createInterface({ input: process.stdin })
lines.on('line', async (line) => {
  if (line.trim() === 'process') {
    try {
      await network.processAll()
      console.log(JSON.stringify({ processed: true }))
    } catch (e) {
      console.log(JSON.stringify({ processed: false, error: String(e) }))
    }
  }
})
lines.on('close', stop)
