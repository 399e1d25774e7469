// Starts a real AT Protocol PDS and PLC directory on loopback for Hearth's publishing tests
// (@atproto/dev-env's TestNetworkNoAppView: PLC in memory, PDS on SQLite), prints one JSON
// line with their addresses, and stops them when its standard input closes or on SIGTERM.
// Usage: node start.mjs PDS_PORT PLC_PORT
import net from 'node:net'

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
const { TestNetworkNoAppView } = await import('@atproto/dev-env')

const [pdsPort, plcPort] = process.argv.slice(2).map(Number)
const network = await TestNetworkNoAppView.create({
  plc: { port: plcPort },
  pds: { port: pdsPort, hostname: 'localhost', inviteRequired: false },
})
console.log(JSON.stringify({ pds: network.pds.url, plc: network.plc.url }))
let stopping = false
const stop = async () => {
  if (stopping) return
  stopping = true
  await network.close()
  process.exit(0)
}
process.stdin.on('end', stop)
process.stdin.on('close', stop)
process.stdin.resume()
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
