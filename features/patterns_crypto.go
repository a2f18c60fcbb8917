package features

import (
	"crypto/sha256"
	"encoding/binary"
	"math/bits"
)

// Wallet address checks: Bitcoin base58check (P2PKH/P2SH, main and test networks), Bitcoin
// segwit bech32 (BIP-173, witness v0) and bech32m (BIP-350, v1+), Ethereum EIP-55 mixed-case
// checksums (Keccak-256, implemented here to keep golang.org/x/crypto out of the module graph).

const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

var base58Index = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(base58Alphabet); i++ {
		t[base58Alphabet[i]] = int8(i)
	}
	return t
}()

// validBase58Address reports whether s is a base58check Bitcoin address (version 0x00, 0x05,
// 0x6f or 0xc4) with a valid double SHA-256 checksum.
func validBase58Address(s string) bool {
	if len(s) < 25 || len(s) > 35 {
		return false
	}
	var buf [25]byte
	zeros := 0
	for zeros < len(s) && s[zeros] == '1' {
		zeros++
	}
	for i := 0; i < len(s); i++ {
		d := base58Index[s[i]]
		if d < 0 {
			return false
		}
		carry := uint32(d)
		for j := len(buf) - 1; j >= 0; j-- {
			carry += uint32(buf[j]) * 58
			buf[j] = byte(carry)
			carry >>= 8
		}
		if carry != 0 {
			return false // does not fit 25 bytes
		}
	}
	lead := 0
	for lead < len(buf) && buf[lead] == 0 {
		lead++
	}
	if lead != zeros {
		return false // leading '1's must encode exactly the leading zero bytes
	}
	switch buf[0] {
	case 0x00, 0x05, 0x6f, 0xc4:
	default:
		return false
	}
	h := sha256.Sum256(buf[:21])
	h = sha256.Sum256(h[:])
	return h[0] == buf[21] && h[1] == buf[22] && h[2] == buf[23] && h[3] == buf[24]
}

const bech32Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

var bech32Index = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(bech32Charset); i++ {
		t[bech32Charset[i]] = int8(i)
		if c := bech32Charset[i]; c >= 'a' {
			t[c-'a'+'A'] = int8(i)
		}
	}
	return t
}()

func bech32Polymod(v uint32, d byte) uint32 {
	gen := [5]uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	b := v >> 25
	v = (v&0x1ffffff)<<5 ^ uint32(d)
	for i := 0; i < 5; i++ {
		if (b>>i)&1 == 1 {
			v ^= gen[i]
		}
	}
	return v
}

// validSegwitAddress reports whether s is a Bitcoin segwit address ("bc1..." or "tb1...") with a
// valid bech32 (witness v0) or bech32m (v1 to v16) checksum and a valid witness program length.
func validSegwitAddress(s string) bool {
	if len(s) < 14 || len(s) > 90 {
		return false
	}
	lower, upper := false, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z':
			lower = true
		case 'A' <= c && c <= 'Z':
			upper = true
		}
	}
	if lower && upper {
		return false
	}
	hrp := s[:2]
	if s[2] != '1' || !(hrp == "bc" || hrp == "BC" || hrp == "tb" || hrp == "TB") {
		return false
	}
	v := uint32(1)
	for i := 0; i < 2; i++ {
		v = bech32Polymod(v, (hrp[i]|0x20)>>5)
	}
	v = bech32Polymod(v, 0)
	for i := 0; i < 2; i++ {
		v = bech32Polymod(v, (hrp[i]|0x20)&31)
	}
	data := s[3:]
	for i := 0; i < len(data); i++ {
		d := bech32Index[data[i]]
		if d < 0 {
			return false
		}
		v = bech32Polymod(v, byte(d))
	}
	ver := bech32Index[data[0]]
	if ver > 16 {
		return false
	}
	// Witness program: 5-bit groups between the version and the 6-symbol checksum.
	nbits := (len(data) - 7) * 5
	plen := nbits / 8
	if nbits%8 >= 5 || plen < 2 || plen > 40 {
		return false
	}
	if pad := nbits % 8; pad > 0 && int(bech32Index[data[len(data)-7]])&(1<<pad-1) != 0 {
		return false // padding bits must be zero
	}
	if ver == 0 {
		return v == 1 && (plen == 20 || plen == 32)
	}
	return v == 0x2bc830a3
}

// validEthAddress reports whether s is "0x" and 40 hex digits, with a valid EIP-55 checksum
// when the letters are mixed case. checked reports that a mixed-case checksum was verified.
func validEthAddress(s string) (ok, checked bool) {
	if len(s) != 42 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X') {
		return false, false
	}
	var lowerHex [40]byte
	lower, upper := false, false
	for i := 0; i < 40; i++ {
		c := s[2+i]
		switch {
		case '0' <= c && c <= '9':
		case 'a' <= c && c <= 'f':
			lower = true
		case 'A' <= c && c <= 'F':
			upper = true
			c += 'a' - 'A'
		default:
			return false, false
		}
		lowerHex[i] = c
	}
	if !lower || !upper {
		return true, false
	}
	h := keccak256(lowerHex[:])
	for i := 0; i < 40; i++ {
		c := s[2+i]
		if c <= '9' {
			continue
		}
		nib := h[i/2] >> 4
		if i%2 == 1 {
			nib = h[i/2] & 0xf
		}
		if (nib >= 8) != (c <= 'F') {
			return false, true
		}
	}
	return true, true
}

// keccak256 is the original Keccak-256 (padding 0x01, as used by Ethereum), not SHA3-256.
func keccak256(msg []byte) [32]byte {
	const rate = 136
	var a [25]uint64
	var block [rate]byte
	for len(msg) >= rate {
		for i := 0; i < rate/8; i++ {
			a[i] ^= binary.LittleEndian.Uint64(msg[8*i:])
		}
		keccakF1600(&a)
		msg = msg[rate:]
	}
	copy(block[:], msg)
	block[len(msg)] ^= 0x01
	block[rate-1] ^= 0x80
	for i := 0; i < rate/8; i++ {
		a[i] ^= binary.LittleEndian.Uint64(block[8*i:])
	}
	keccakF1600(&a)
	var out [32]byte
	for i := 0; i < 4; i++ {
		binary.LittleEndian.PutUint64(out[8*i:], a[i])
	}
	return out
}

var keccakRC = [24]uint64{
	0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
	0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
	0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
	0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
	0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
	0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
}

// keccakRot and keccakPi drive the rho and pi steps along the lane path starting at lane 1.
var (
	keccakRot = [24]int{1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44}
	keccakPi  = [24]int{10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1}
)

// keccakF1600 is the Keccak-f[1600] permutation, 24 rounds.
func keccakF1600(a *[25]uint64) {
	var c [5]uint64
	for round := 0; round < 24; round++ {
		// theta
		for x := 0; x < 5; x++ {
			c[x] = a[x] ^ a[x+5] ^ a[x+10] ^ a[x+15] ^ a[x+20]
		}
		for x := 0; x < 5; x++ {
			d := c[(x+4)%5] ^ bits.RotateLeft64(c[(x+1)%5], 1)
			for y := 0; y < 25; y += 5 {
				a[y+x] ^= d
			}
		}
		// rho and pi
		t := a[1]
		for i := 0; i < 24; i++ {
			j := keccakPi[i]
			t, a[j] = a[j], bits.RotateLeft64(t, keccakRot[i])
		}
		// chi
		for y := 0; y < 25; y += 5 {
			for x := 0; x < 5; x++ {
				c[x] = a[y+x]
			}
			for x := 0; x < 5; x++ {
				a[y+x] ^= ^c[(x+1)%5] & c[(x+2)%5]
			}
		}
		// iota
		a[0] ^= keccakRC[round]
	}
}
