package synth

import (
	"crypto/sha256"
	"math/big"
	"math/rand/v2"
)

const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// btcAddress returns a well-formed Bitcoin P2PKH address (version byte 0x00, base58check) for a
// random 20-byte payload. The payload is not the hash of any key that the generator knows: the
// address is valid in form only, so that checksum-aware detectors see real-looking addresses.
func btcAddress(r *rand.Rand) string {
	payload := make([]byte, 21) // version 0x00 + 20 bytes
	for i := 1; i < len(payload); i++ {
		payload[i] = byte(r.Uint32())
	}
	return base58Check(payload)
}

// base58Check appends the 4-byte double-SHA-256 checksum to data and encodes it in base58, one
// leading '1' per leading zero byte.
func base58Check(data []byte) string {
	first := sha256.Sum256(data)
	second := sha256.Sum256(first[:])
	full := append(append([]byte(nil), data...), second[:4]...)
	n := new(big.Int).SetBytes(full)
	base, mod := big.NewInt(58), new(big.Int)
	var out []byte
	for n.Sign() > 0 {
		n.DivMod(n, base, mod)
		out = append(out, base58Alphabet[mod.Int64()])
	}
	for _, b := range full {
		if b != 0 {
			break
		}
		out = append(out, '1')
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}
